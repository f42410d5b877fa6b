/**
 * A period close's checklist: each check ticked by the bookkeeper, with what the books say beside it
 * (documents not booked, bank lines not reconciled, entries waiting or left as drafts). Once every
 * check is ticked the period can be closed here; the server refuses it before.
 */
import "./documentsI18n";
import { Alert, Badge, Button, Card, Checkbox, Group, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconLock } from "@tabler/icons-react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { monthLabel } from "../portal/months";
import { DOCS_NS } from "./documentsI18n";
import { type PeriodClose, useLockPeriod, useTickCheck } from "./documentsQueries";

function factOf(close: PeriodClose, code: string, number: (value: number) => string, t: TFunction<"bookdocs">) {
  const facts = close.facts;
  if (code === "documents_booked" && facts.documents_to_book) return t("close.facts.documents_booked", { count: number(facts.documents_to_book) });
  if (code === "bank_reconciled" && facts.unreconciled_lines) return t("close.facts.bank_reconciled", { count: number(facts.unreconciled_lines) });
  if (code === "approvals_cleared" && (facts.entries_pending_approval || facts.draft_entries)) {
    return t("close.facts.approvals_cleared", { pending: number(facts.entries_pending_approval), drafts: number(facts.draft_entries) });
  }
  return null;
}

export function CloseChecklist({ close, tenantId }: { close: PeriodClose; tenantId: string }) {
  const { t, i18n } = useTranslation(DOCS_NS);
  const tick = useTickCheck(close, tenantId);
  const lock = useLockPeriod(tenantId);
  const month = monthLabel(close.period.month, i18n.language);
  const number = (value: number) => formatNumber(value, i18n.language);
  const open = close.status === "open";
  return (
    <Card withBorder padding="md" data-testid="books-close" data-status={close.status} data-complete={close.complete}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3}>{t("close.title", { month })}</Title>
          <Badge variant="light" color={close.status === "closed" ? "gray" : close.status === "open" ? "blue" : "red"}>
            {t(`close.status.${close.status}`)}
          </Badge>
        </Group>
        {close.checks.map((check) => {
          const fact = factOf(close, check.code, number, t);
          return (
            <Stack key={check.code} gap={2} data-check={check.code} data-done={check.done}>
              <Checkbox
                label={t(`close.checks.${check.code}`, { defaultValue: check.label })}
                checked={check.done}
                disabled={!open || tick.isPending}
                onChange={(event) => tick.mutate({ code: check.code, done: event.currentTarget.checked })}
              />
              <Text size="xs" c={fact ? "orange" : "dimmed"} ms={32}>
                {fact ?? t("close.allClear")}
              </Text>
            </Stack>
          );
        })}
        {tick.error && <ErrorAlert error={tick.error} />}
        {lock.error && <ErrorAlert error={lock.error} />}
        {close.status === "closed" ? (
          <Alert color="gray" icon={<IconLock size={18} />}>
            {t("close.locked", { month })}
          </Alert>
        ) : (
          <Group justify="flex-end" gap="sm">
            {!close.complete && (
              <Text size="sm" c="dimmed">
                {t("close.notComplete")}
              </Text>
            )}
            <Button
              color="orange"
              leftSection={<IconLock size={16} />}
              disabled={!open || !close.complete}
              loading={lock.isPending}
              onClick={() =>
                lock.mutate(close.period.id, {
                  onSuccess: () => notifications.show({ color: "teal", message: t("close.locked", { month }) }),
                })
              }
            >
              {t("close.lock")}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
