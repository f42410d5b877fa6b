/**
 * The item screen's server state. Every key starts with ["work-item", id], so one invalidation
 * after an action refreshes the item, its conversation, history and files together.
 */
import { Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, type Schemas, unwrap } from "../api/client";
import { useStateLabel } from "../components/Badges";
import { errorMessage } from "../components/QueryState";
import { localeOf } from "../lib/format";
import { describeRefusal } from "./itemActions";

export type WorkItem = Schemas["WorkItemOut"];

// Enough for any real conversation or history on one screen; the lists are oldest first.
const ALL = 200;

export const itemKey = (id: string) => ["work-item", id] as const;

export function useItem(id: string) {
  return useQuery({
    queryKey: itemKey(id),
    queryFn: () => unwrap(api.GET("/api/v1/work-items/{item_id}", { params: { path: { item_id: id } } })),
  });
}

export function useComments(id: string) {
  return useQuery({
    queryKey: [...itemKey(id), "comments"],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/work-items/{item_id}/comments", {
          params: { path: { item_id: id }, query: { limit: ALL } },
        }),
      ),
  });
}

export function useTransitions(id: string) {
  return useQuery({
    queryKey: [...itemKey(id), "transitions"],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/work-items/{item_id}/transitions", {
          params: { path: { item_id: id }, query: { limit: ALL } },
        }),
      ),
  });
}

export function useAttachments(id: string) {
  return useQuery({
    queryKey: [...itemKey(id), "attachments"],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/work-items/{item_id}/attachments", {
          params: { path: { item_id: id }, query: { limit: ALL } },
        }),
      ),
  });
}

/** After any change: show the new item at once (when the answer carries it), then refetch the rest. */
export function useItemChanged(id: string) {
  const queryClient = useQueryClient();
  return (item?: WorkItem) => {
    if (item) queryClient.setQueryData(itemKey(id), item);
    void queryClient.invalidateQueries({ queryKey: itemKey(id) });
    void queryClient.invalidateQueries({ queryKey: ["work-items"] });
  };
}

/** An action's failure in words: a refused move says what is possible now; a missing item says so plainly. */
export function useFailureNotice() {
  const { t, i18n } = useTranslation("items");
  const { t: tc } = useTranslation();
  const stateLabel = useStateLabel();
  return (error: unknown) => {
    const refusal = describeRefusal(error);
    let message: ReactNode;
    if (refusal) {
      const names = refusal.allowed.map((state) => stateLabel(state));
      const states = new Intl.ListFormat(localeOf(i18n.language), { type: "disjunction" }).format(names);
      // Our words first, in the reader's language; the server's own reason under them.
      message = (
        <Stack gap={2}>
          <Text size="sm">
            {t("conflict.notNow")} {names.length ? t("conflict.allowed", { states }) : t("conflict.none")}
          </Text>
          <Text size="xs" c="dimmed">
            {refusal.detail}
          </Text>
        </Stack>
      );
    } else if (error instanceof ApiError && error.status === 404) {
      message = tc("common.notFoundItem");
    } else {
      message = errorMessage(error, tc("common.error")) || tc("common.offline");
    }
    notifications.show({ color: "red", title: t("notify.failed"), message, autoClose: 10_000 });
  };
}
