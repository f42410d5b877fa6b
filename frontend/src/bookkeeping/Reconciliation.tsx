/**
 * A bank account's statement lines not yet matched to the books, oldest first, each with its
 * status and the API's suggestions and why they were made. Bookkeepers auto-match what leaves no
 * doubt (a shared reference, or the only line of the amount where neither side names one), accept a
 * suggestion, or pick journal lines by hand that together make the amount; a line matched here stays shown
 * (as matched) until the page is left, since the API lists only the open lines.
 */
import { Button, Group, SegmentedControl, Select, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconWand } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { QueryState } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { BANK_NS } from "./bankI18n";
import { type BankAccount, useAutoMatch, useReconciliation } from "./bankQueries";
import { ErrorAlert } from "../components/QueryState";
import { filtered, type LineFilter, type LineStatus, type StatementLine, statusOf, type SuggestedLine, type Suggestion } from "./matching";
import type { BooksScope } from "./queries";
import { StatementLineCard } from "./StatementLineCard";

const PAGE_SIZE = 20;
const WINDOWS = [2, 5, 10, 31];

export interface Row {
  line: StatementLine;
  suggestions: Suggestion[];
  status: LineStatus;
  matchedWith?: SuggestedLine[];
}

export function Reconciliation({ scope, account }: { scope: BooksScope; account: BankAccount }) {
  const { t, i18n } = useTranslation(BANK_NS);
  const paging = usePaging(PAGE_SIZE);
  const [windowDays, setWindowDays] = useState(5);
  const [filter, setFilter] = useState<LineFilter>("all");
  const [matchedHere, setMatchedHere] = useState<Row[]>([]);
  const reconciliation = useReconciliation(scope, account.id, windowDays, paging.limit, paging.offset);
  const autoMatch = useAutoMatch(scope, account.id);
  const onMatched = (line: StatementLine, parts: SuggestedLine[]) =>
    setMatchedHere((rows) => [...rows, { line, suggestions: [], status: "matched", matchedWith: parts }]);
  const runAutoMatch = () =>
    autoMatch.mutate(windowDays, {
      onSuccess: (result) => {
        // Each match the server took shows as matched here, as one accepted by hand does.
        setMatchedHere((rows) => [
          ...rows,
          ...result.matches.map((match) => ({
            line: match.line,
            suggestions: [],
            status: "matched" as const,
            matchedWith: match.journal_lines,
          })),
        ]);
        notifications.show({
          color: result.matched ? "teal" : "gray",
          message: t("reconcile.autoDone", {
            matched: formatNumber(result.matched, i18n.language),
            left: formatNumber(result.left, i18n.language),
          }),
        });
      },
    });

  return (
    <Stack gap="sm" data-testid="bank-reconciliation">
      <Title order={3}>{t("reconcile.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("reconcile.intro")} {!scope.inConsole && t("reconcile.readOnly")}
      </Text>
      <Group gap="md" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="bank-filter-label">
            {t("reconcile.filter")}
          </Text>
          <SegmentedControl
            aria-labelledby="bank-filter-label"
            value={filter}
            onChange={(value) => setFilter(value as LineFilter)}
            data={[
              { value: "all", label: t("reconcile.all") },
              { value: "unmatched", label: t("reconcile.unmatched") },
            ]}
            data-testid="bank-filter"
          />
        </Stack>
        <Select
          label={t("reconcile.window")}
          data={WINDOWS.map((days) => ({ value: String(days), label: t("reconcile.windowDays", { n: formatNumber(days, i18n.language) }) }))}
          value={String(windowDays)}
          onChange={(value) => value && setWindowDays(Number(value))}
          allowDeselect={false}
          w={140}
        />
        {scope.inConsole && (
          <Button variant="light" leftSection={<IconWand size={16} />} onClick={runAutoMatch} loading={autoMatch.isPending} data-testid="bank-auto-match">
            {t("reconcile.auto")}
          </Button>
        )}
      </Group>
      {autoMatch.error && <ErrorAlert error={autoMatch.error} />}
      <QueryState query={reconciliation}>
        {(page) => {
          const open: Row[] = page.items.map(({ line, suggestions }) => ({ line, suggestions, status: statusOf(line, suggestions) }));
          const openIds = new Set(open.map((row) => row.line.id));
          const rows = filtered([...matchedHere.filter((row) => !openIds.has(row.line.id)), ...open], filter);
          return (
            <>
              {rows.length === 0 ? (
                <Text c="dimmed" py="lg" ta="center" data-empty="true">
                  {filter === "unmatched" && page.total ? t("reconcile.emptyFilter") : t("reconcile.empty")}
                </Text>
              ) : (
                <Stack gap="sm">
                  {rows.map((row) => (
                    <StatementLineCard key={row.line.id} scope={scope} account={account} row={row} onMatched={onMatched} />
                  ))}
                </Stack>
              )}
              <Paging total={page.total} paging={paging} />
            </>
          );
        }}
      </QueryState>
    </Stack>
  );
}
