/**
 * The portal's journal: entries waiting for approval (the client admin approves them as the second
 * person; members see them waiting) and the posted entries, newest first, a page at a time.
 */
import "./i18n";
import { Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { useMe } from "../auth/session";
import { QueryState } from "../components/QueryState";
import { WithBooks } from "./BooksSection";
import { EntryActionButton } from "./EntryActions";
import { EntryTable } from "./EntryTable";
import { NS } from "./i18n";
import { type BooksScope, useEntries } from "./queries";

const PAGE_SIZE = 20;
// Waiting entries are few: the approval threshold holds back only the large ones.
const PENDING_SHOWN = 50;

export function Component() {
  return <WithBooks>{(scope) => <Journal scope={scope} />}</WithBooks>;
}

function Journal({ scope }: { scope: BooksScope }) {
  const { t } = useTranslation(NS);
  const admin = useMe().role === "client_admin";
  const paging = usePaging(PAGE_SIZE);
  const pending = useEntries(scope, "pending_approval", PENDING_SHOWN, 0);
  const posted = useEntries(scope, "posted", paging.limit, paging.offset);
  return (
    <Stack gap="xl">
      <Stack gap="sm" data-testid="books-pending">
        <Title order={3}>{t("entries.pending")}</Title>
        <Text size="sm" c="dimmed">
          {admin ? t("entries.pendingIntro") : t("entries.pendingReadOnly")}
        </Text>
        <QueryState query={pending} empty={(page) => !page.items?.length} emptyText={t("entries.noPending")}>
          {(page) => (
            <EntryTable
              entries={page.items ?? []}
              actions={admin ? (entry) => <EntryActionButton scope={scope} entry={entry} action="approve" /> : undefined}
            />
          )}
        </QueryState>
      </Stack>
      <Stack gap="sm" data-testid="books-posted">
        <Title order={3}>{t("entries.posted")}</Title>
        <QueryState query={posted} empty={(page) => !page.total} emptyText={t("entries.empty")}>
          {(page) => (
            <>
              <EntryTable entries={page.items ?? []} />
              <Paging total={page.total ?? 0} paging={paging} />
            </>
          )}
        </QueryState>
      </Stack>
    </Stack>
  );
}
