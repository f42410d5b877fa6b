/**
 * Record one payment that settles the chosen invoices (received) or bills (paid) of one contact: the
 * date, the bank or cash account the money moved through, a reference, and what is paid on each item
 * (its open amount unless changed: a part payment leaves the rest open). The server's refusal (a
 * date before an item's, an item already settled meanwhile) is shown in the server's words.
 */
import { Button, Group, Modal, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../components/QueryState";
import { useTenantZone } from "../lib/tenants";
import type { BookMoney } from "./bookMoney";
import { ITEMS_NS } from "./itemsI18n";
import { useRecordPayment } from "./itemsQueries";
import {
  allocationProblem,
  ITEM_LIMITS,
  majorText,
  type OpenItem,
  type PaymentDraft,
  paymentProblem,
  paymentTotal,
  tenantToday,
  toPaymentIn,
} from "./openItems";
import { type BooksScope, useAccounts } from "./queries";

// The receivables control account is an asset too, but money does not move through it.
const CONTROL_ACCOUNTS = ["1100"];

interface PaymentFormProps {
  scope: BooksScope;
  /** Payable items of one contact and one kind (openItems.selectionProblem is null). */
  items: OpenItem[];
  money: BookMoney;
  onClose: () => void;
  onRecorded: () => void;
}

export function PaymentForm({ scope, items, money, onClose, onRecorded }: PaymentFormProps) {
  const { t } = useTranslation(ITEMS_NS);
  const record = useRecordPayment(scope);
  const accounts = useAccounts(scope);
  const zone = useTenantZone(scope.tenantId);
  const [draft, setDraft] = useState<PaymentDraft>(() => ({
    date: tenantToday(zone),
    account: "",
    reference: "",
    amounts: Object.fromEntries(items.map((item) => [item.id, majorText(item.open_amount, money.digits)])),
  }));
  const kind = items[0]?.kind ?? "invoice";
  const problem = paymentProblem(draft, items, money.digits);
  const moneyAccounts = (accounts.data?.items ?? []).filter(
    (account) => account.type === "asset" && account.status === "open" && !CONTROL_ACCOUNTS.includes(account.code),
  );
  const setAmount = (item: OpenItem, value: string) =>
    setDraft((current) => ({ ...current, amounts: { ...current.amounts, [item.id]: value } }));

  return (
    <Modal opened onClose={onClose} title={t(`payment.title.${kind}`, { contact: items[0]?.contact ?? "" })} size="xl">
      <form
        data-testid="books-payment-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (problem !== null) return;
          record.mutate(toPaymentIn(draft, items, money.digits), {
            onSuccess: (payment) => {
              const waiting = payment.status === "pending_approval";
              notifications.show({
                color: waiting ? "orange" : "teal",
                message: waiting ? t("payment.waiting") : t("payment.recorded", { amount: money.format(payment.amount) }),
              });
              onRecorded();
            },
          });
        }}
      >
        <Stack gap="sm">
          <Group align="flex-start" gap="sm" grow>
            <TextInput type="date" label={t("payment.date")} value={draft.date} onChange={(e) => setDraft({ ...draft, date: e.currentTarget.value })} required />
            <Select
              label={t("payment.account")}
              data={moneyAccounts.map((account) => ({ value: account.code, label: `${account.code} · ${account.name}` }))}
              value={draft.account || null}
              onChange={(value) => setDraft({ ...draft, account: value ?? "" })}
              searchable
              required
              data-testid="books-payment-account"
            />
            <TextInput label={t("payment.reference")} value={draft.reference} onChange={(e) => setDraft({ ...draft, reference: e.currentTarget.value })} maxLength={ITEM_LIMITS.reference} />
          </Group>
          <Table verticalSpacing={4} data-testid="books-payment-allocations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("payment.item")}</Table.Th>
                <Table.Th ta="end">{t("payment.open")}</Table.Th>
                <Table.Th w={180}>{t("payment.amount")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => {
                const wrong = allocationProblem(draft.amounts[item.id] ?? "", item, money.digits);
                return (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      <Text size="sm" ff="monospace" dir="ltr" ta="start">
                        {item.number}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                      {money.format(item.open_amount)}
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={t("payment.amountOf", { number: item.number })}
                        value={draft.amounts[item.id] ?? ""}
                        onChange={(e) => setAmount(item, e.currentTarget.value)}
                        inputMode="decimal"
                        dir="ltr"
                        styles={{ input: { textAlign: "end" } }}
                        error={wrong ? t(`payment.allocationProblems.${wrong}`) : undefined}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Text fw={600} ta="end" data-testid="books-payment-total" style={{ fontVariantNumeric: "tabular-nums" }}>
            {t("payment.total")}: {money.format(paymentTotal(draft, items, money.digits))}
          </Text>
          {problem !== null && (
            <Text size="sm" c="red" data-testid="books-payment-problem">
              {t(`payment.problems.${problem}`)}
            </Text>
          )}
          {record.error && <ErrorAlert error={record.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("payment.cancel")}
            </Button>
            <Button type="submit" loading={record.isPending} disabled={problem !== null}>
              {t("payment.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
