/**
 * One statement line to reconcile: what the bank says, its status, the suggestions with their
 * reasons (accept one), and, for bookkeepers, picking one or several journal lines by hand: among the
 * suggestions and every other unmatched line within a month of the statement date. A matched line
 * says a match is final: the API keeps it as evidence (bookkeeping/reconciliation.py), so a mistake
 * is undone with a reversing entry, not an unmatch.
 */
import { Badge, Button, Checkbox, Group, Paper, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCheck, IconListCheck } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatMoney } from "../billing/money";
import { ErrorAlert } from "../components/QueryState";
import { formatDate, formatNumber } from "../lib/format";
import { BANK_NS } from "./bankI18n";
import { type BankAccount, useAcceptMatch, useUnmatchedJournalLines } from "./bankQueries";
import { candidatesOf, datesAround, pickedTotals, type Reason, reasonsFor, refOf, type StatementLine, type SuggestedLine, type Suggestion } from "./matching";
import type { BooksScope } from "./queries";
import type { Row } from "./Reconciliation";

const STATUS_COLORS = { unmatched: "red", suggested: "orange", matched: "teal" } as const;
const PICK_AROUND_DAYS = 31; // the journal lines offered by hand: this many days either side of the statement date

interface Props {
  scope: BooksScope;
  account: BankAccount;
  row: Row;
  onMatched: (line: StatementLine, parts: SuggestedLine[]) => void;
}

export function StatementLineCard({ scope, account, row, onMatched }: Props) {
  const { t, i18n } = useTranslation(BANK_NS);
  const accept = useAcceptMatch(scope, account.id);
  const [picking, setPicking] = useState(false);
  const money = (minor: number) => formatMoney(minor, account.currency, i18n.language);
  const { line, status } = row;
  const match = (parts: SuggestedLine[]) =>
    accept.mutate(
      { line, parts },
      {
        onSuccess: () => {
          const text = parts.map((part) => part.entry_number ?? "—").join(", ");
          notifications.show({ color: "teal", message: t("reconcile.matched", { text }) });
          onMatched({ ...line, reconciled: true }, parts);
        },
      },
    );
  return (
    <Paper withBorder p="sm" data-testid="bank-line" data-status={status} data-reference={line.reference}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2}>
            <Group gap="xs">
              <Text size="sm" c="dimmed">
                {formatDate(line.date, i18n.language)}
              </Text>
              <Badge variant="light" color={STATUS_COLORS[status]} data-testid="bank-line-status">
                {t(`reconcile.statusLabel.${status}`)}
              </Badge>
            </Group>
            <Text size="sm" fw={500}>
              <bdi>{line.counterparty || line.description || "—"}</bdi>
            </Text>
            <Text size="xs" c="dimmed">
              {[line.reference, line.counterparty ? line.description : ""].filter(Boolean).map((part, i) => (
                <span key={i}>
                  {i ? " · " : ""}
                  <bdi>{part}</bdi>
                </span>
              ))}
            </Text>
          </Stack>
          <Text fw={600} c={line.amount < 0 ? "red.7" : undefined} style={{ whiteSpace: "nowrap" }} data-testid="bank-line-amount">
            {money(line.amount)}
          </Text>
        </Group>
        {status === "matched" && (
          <Text size="sm" c="dimmed">
            {t("reconcile.matched", { text: (row.matchedWith ?? []).map((part) => part.entry_number ?? "—").join(", ") })} — {t("reconcile.matchedNote")}
          </Text>
        )}
        {status === "unmatched" && (
          <Text size="sm" c="dimmed">
            {t("reconcile.noSuggestion")}
          </Text>
        )}
        {row.suggestions.map((suggestion, index) => (
          <SuggestionRow
            key={index}
            line={line}
            suggestion={suggestion}
            money={money}
            onAccept={scope.inConsole ? () => match(suggestion.lines) : undefined}
            busy={accept.isPending}
          />
        ))}
        {scope.inConsole && status !== "matched" && (
          <Group>
            <Button size="xs" variant="subtle" leftSection={<IconListCheck size={14} />} onClick={() => setPicking((open) => !open)}>
              {t("reconcile.pick")}
            </Button>
          </Group>
        )}
        {picking && status !== "matched" && (
          <PickLines scope={scope} account={account} line={line} suggestions={row.suggestions} money={money} onMatch={match} busy={accept.isPending} />
        )}
        {accept.error && <ErrorAlert error={accept.error} />}
      </Stack>
    </Paper>
  );
}

function ReasonBadge({ reason }: { reason: Reason }) {
  const { t, i18n } = useTranslation(BANK_NS);
  const n = (value: number) => formatNumber(value, i18n.language);
  const text =
    reason.kind === "amount"
      ? t("reconcile.reason.amount", { count: reason.parts, n: n(reason.parts) })
      : reason.kind === "date"
        ? t("reconcile.reason.date", { count: reason.days, n: n(reason.days) })
        : reason.kind === "text"
          ? t("reconcile.reason.text", { percent: `${n(reason.percent)}%` })
          : t(`reconcile.reason.${reason.kind}`);
  return (
    <Badge variant="dot" color="gray" size="sm" data-reason={reason.kind}>
      {text}
    </Badge>
  );
}

interface SuggestionProps {
  line: StatementLine;
  suggestion: Suggestion;
  money: (minor: number) => string;
  onAccept?: () => void;
  busy: boolean;
}

function SuggestionRow({ line, suggestion, money, onAccept, busy }: SuggestionProps) {
  const { t, i18n } = useTranslation(BANK_NS);
  return (
    <Paper bg="var(--mantine-color-default-hover)" p="xs" radius="sm" data-testid="bank-suggestion">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Stack gap={2}>
          {suggestion.lines.map((part) => (
            <Text size="sm" key={refOf(part)}>
              <bdi dir="ltr">{part.entry_number ?? "—"}</bdi> · {formatDate(part.date, i18n.language)} · {money(part.amount)}
              {part.text && (
                <Text span c="dimmed">
                  {" · "}
                  <bdi>{part.text}</bdi>
                </Text>
              )}
            </Text>
          ))}
          <Group gap={4}>
            {reasonsFor(line, suggestion).map((reason) => (
              <ReasonBadge key={reason.kind} reason={reason} />
            ))}
          </Group>
        </Stack>
        {onAccept && (
          <Button size="xs" leftSection={<IconCheck size={14} />} onClick={onAccept} loading={busy}>
            {t("reconcile.accept")}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

interface PickProps {
  scope: BooksScope;
  account: BankAccount;
  line: StatementLine;
  suggestions: Suggestion[];
  money: (minor: number) => string;
  onMatch: (parts: SuggestedLine[]) => void;
  busy: boolean;
}

function PickLines({ scope, account, line, suggestions, money, onMatch, busy }: PickProps) {
  const { t, i18n } = useTranslation(BANK_NS);
  const [picked, setPicked] = useState<string[]>([]);
  const { from, to } = datesAround(line.date, PICK_AROUND_DAYS);
  const others = useUnmatchedJournalLines(scope, account.id, from, to);
  const candidates = candidatesOf(suggestions, others.data?.items ?? []);
  const parts = candidates.filter((part) => picked.includes(refOf(part)));
  const { total, left } = pickedTotals(line, parts);
  return (
    <Stack gap="xs" data-testid="bank-pick">
      {others.isPending && (
        <Text size="sm" c="dimmed">
          {t("reconcile.pickLoading")}
        </Text>
      )}
      {others.error && <ErrorAlert error={others.error} />}
      {others.isSuccess && candidates.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="bank-pick-none">
          {t("reconcile.pickNone")}
        </Text>
      )}
      <Checkbox.Group label={t("reconcile.pickTitle")} value={picked} onChange={setPicked}>
        <Stack gap={4} mt={4}>
          {candidates.map((part) => (
            <Checkbox
              key={refOf(part)}
              value={refOf(part)}
              label={`${part.entry_number ?? "—"} · ${formatDate(part.date, i18n.language)} · ${money(part.amount)}${part.text ? ` · ${part.text}` : ""}`}
            />
          ))}
        </Stack>
      </Checkbox.Group>
      <Group justify="space-between">
        <Text size="sm" c={left === 0 ? "teal" : "dimmed"} data-testid="bank-pick-total">
          {t("reconcile.pickTotal", { total: money(total), left: money(left) })}
        </Text>
        <Button size="xs" disabled={left !== 0 || parts.length === 0} loading={busy} onClick={() => onMatch(parts)}>
          {t("reconcile.matchPicked")}
        </Button>
      </Group>
    </Stack>
  );
}
