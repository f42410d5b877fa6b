/**
 * The console's journal entries of one tenant, newest first, filtered by status (`?status=`): drafts
 * are posted or deleted, posted entries reversed (a posted entry is never changed), and a new entry
 * is made on its own form.
 */
import "./i18n";
import { Button, Group, Select, Stack } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { QueryState } from "../components/QueryState";
import { WithBooks } from "./BooksSection";
import { EntryActionButton } from "./EntryActions";
import { EntryTable } from "./EntryTable";
import { NS } from "./i18n";
import { type BooksScope, type Entry, type EntryStatus, useEntries } from "./queries";

const PAGE_SIZE = 20;
const STATUSES: EntryStatus[] = ["draft", "pending_approval", "posted"];

export function Component() {
  return <WithBooks>{(scope) => <Entries scope={scope} />}</WithBooks>;
}

function Entries({ scope }: { scope: BooksScope }) {
  const { t } = useTranslation(NS);
  const [params, setParams] = useSearchParams();
  const asked = params.get("status");
  const status = STATUSES.find((value) => value === asked) ?? null;
  const paging = usePaging(PAGE_SIZE);
  const entries = useEntries(scope, status, paging.limit, paging.offset);

  const actions = (entry: Entry) => {
    if (entry.status === "draft") {
      return (
        <>
          <EntryActionButton scope={scope} entry={entry} action="post" />
          <EntryActionButton scope={scope} entry={entry} action="delete" />
        </>
      );
    }
    if (entry.status === "pending_approval") return <EntryActionButton scope={scope} entry={entry} action="approve" />;
    if (!entry.reversed_by && !entry.reverses) return <EntryActionButton scope={scope} entry={entry} action="reverse" />;
    return null;
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Select
          label={t("entries.status")}
          placeholder={t("entries.allStatuses")}
          data={STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))}
          value={status}
          onChange={(value) => {
            paging.setPage(1);
            setParams((current) => {
              const next = new URLSearchParams(current);
              if (value) next.set("status", value);
              else next.delete("status");
              return next;
            });
          }}
          clearable
          w={240}
          data-testid="books-status-filter"
        />
        <Button component={Link} to={`/console/books/entries/new?tenant=${scope.tenantId}`} leftSection={<IconPlus size={16} />}>
          {t("entries.new")}
        </Button>
      </Group>
      <QueryState query={entries} empty={(page) => !page.total} emptyText={t("entries.empty")}>
        {(page) => (
          <>
            <EntryTable entries={page.items ?? []} actions={actions} />
            <Paging total={page.total ?? 0} paging={paging} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
