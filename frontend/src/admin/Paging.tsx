/** Page through a `{items, total, limit, offset}` list: which rows are shown, and the pages to go to. */
import { Group, Pagination, Text } from "@mantine/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";
import type { PageState } from "./usePaging";

export function Paging({ total, paging }: { total: number; paging: PageState }) {
  const { t, i18n } = useTranslation("admin");
  const pages = Math.max(1, Math.ceil(total / paging.limit));
  const { page, setPage } = paging;
  // The last row of the last page went away (deactivated, revoked): show the page before it.
  useEffect(() => {
    if (page > pages) setPage(pages);
  }, [page, pages, setPage]);
  if (total === 0) return null;
  const number = (value: number) => formatNumber(value, i18n.language);
  const controlLabels = {
    first: t("paging.first"),
    previous: t("paging.previous"),
    next: t("paging.next"),
    last: t("paging.last"),
  };
  return (
    <Group justify="space-between" mt="md" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t("paging.range", {
          from: number(paging.offset + 1),
          to: number(Math.min(paging.offset + paging.limit, total)),
          total: number(total),
        })}
      </Text>
      {pages > 1 && (
        <Pagination
          total={pages}
          value={page}
          onChange={setPage}
          size="sm"
          getItemProps={(item) => ({ children: number(item), "aria-label": t("paging.page", { page: number(item) }) })}
          getControlProps={(control) => ({ "aria-label": controlLabels[control] })}
        />
      )}
    </Group>
  );
}
