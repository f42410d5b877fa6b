/**
 * A provider admin hands an open item to a staff member who serves its tenant, from the item page
 * (`PUT /api/v1/work-items/{id}/assignee`); a queued item starts in their hands. Nobody else sees it.
 */
import { Button, Group, Paper, Select } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconUserCheck } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, forTenant, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { useFailureNotice, useItemChanged, type WorkItem } from "./itemQueries";

const ASSIGNABLE = new Set(["queued", "in_progress", "waiting_on_client"]);

export function AssignAgent({ item }: { item: WorkItem }) {
  const me = useMe();
  if (me.role !== "provider_admin" || !ASSIGNABLE.has(item.state)) return null;
  return <AssignForm item={item} />;
}

function AssignForm({ item }: { item: WorkItem }) {
  const { t } = useTranslation("items");
  const [chosen, setChosen] = useState<string | null>(null);
  const changed = useItemChanged(item.id);
  const failed = useFailureNotice();
  const staff = useQuery({
    queryKey: ["staff", "all"],
    queryFn: () => unwrap(api.GET("/api/v1/staff", { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
  });
  // Only active staff assigned to the item's tenant may be handed its work (the API says the same).
  const serving = (staff.data?.items ?? []).filter(
    (person) => person.status === "active" && person.tenant_ids.includes(item.tenant_id) && person.id !== item.assignee_id,
  );
  const assign = useMutation({
    mutationFn: (assigneeId: string) =>
      unwrap(
        api.PUT("/api/v1/work-items/{item_id}/assignee", {
          params: { path: { item_id: item.id } },
          body: { assignee_id: assigneeId },
          ...forTenant(item.tenant_id),
        }),
      ),
    onSuccess: (moved) => {
      setChosen(null);
      changed(moved);
      notifications.show({ color: "teal", message: t("assign.done", { name: moved.assignee_name ?? "" }) });
    },
    onError: failed,
  });

  return (
    <Paper withBorder p="sm" data-testid="assign-agent">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={item.assignee_id ? t("assign.reassign") : t("assign.label")}
          placeholder={t("assign.placeholder")}
          data={serving.map((person) => ({ value: person.id, label: `${person.name} <${person.email}>` }))}
          value={chosen}
          onChange={(value) => setChosen(typeof value === "string" ? value : null)}
          searchable
          nothingFoundMessage={t("assign.nobody")}
          miw={280}
        />
        <Button
          leftSection={<IconUserCheck size={18} />}
          disabled={!chosen}
          loading={assign.isPending}
          onClick={() => chosen && assign.mutate(chosen)}
        >
          {t("assign.submit")}
        </Button>
      </Group>
    </Paper>
  );
}
