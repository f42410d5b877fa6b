/**
 * A tenant's bank accounts with their ledger balance, and (bookkeepers) the form to add one. The
 * balance is the ledger account's, of all posted entries: shown in the account's currency when the
 * books are kept in it, else only said to be kept in the base currency.
 */
import { Badge, Button, Card, Group, Select, Stack, Table, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import type { UseQueryResult } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, QueryState } from "../components/QueryState";
import { formatMoney } from "../billing/money";
import { LIMITS } from "../lib/limits";
import { BANK_NS } from "./bankI18n";
import { type BankAccount, useAddBankAccount, useBookSettings, useLedgerBalances } from "./bankQueries";
import { type BooksScope, useAccounts } from "./queries";

interface Props {
  scope: BooksScope;
  accounts: UseQueryResult<{ items?: BankAccount[] }>;
  chosenId: string | null;
  onChoose: (id: string) => void;
}

export function BankAccountsCard({ scope, accounts, chosenId, onChoose }: Props) {
  const { t } = useTranslation(BANK_NS);
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{t("accounts.title")}</Title>
        {scope.inConsole && !adding && (
          <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            {t("accounts.add")}
          </Button>
        )}
      </Group>
        {adding && (
          <AddBankAccount
            scope={scope}
            onDone={(id) => {
              setAdding(false);
              if (id) onChoose(id);
            }}
          />
        )}
      <QueryState query={accounts} empty={(page) => !page.items?.length} emptyText={t("accounts.empty")}>
        {(page) => <AccountTable scope={scope} accounts={page.items ?? []} chosenId={chosenId} onChoose={onChoose} />}
      </QueryState>
    </Stack>
  );
}

function AccountTable({ scope, accounts, chosenId, onChoose }: Omit<Props, "accounts"> & { accounts: BankAccount[] }) {
  const { t, i18n } = useTranslation(BANK_NS);
  const balances = useLedgerBalances(scope);
  const base = useBookSettings(scope).data?.base_currency;
  const balanceOf = (account: BankAccount) => {
    const balance = balances.data?.get(account.ledger_account);
    if (balance === undefined || !base) return "—";
    return base === account.currency ? formatMoney(balance, account.currency, i18n.language) : t("accounts.otherCurrency", { currency: base });
  };
  return (
    <Table.ScrollContainer minWidth={720} type="native">
      <Table striped verticalSpacing="xs" data-testid="bank-accounts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("accounts.name")}</Table.Th>
            <Table.Th>{t("accounts.number")}</Table.Th>
            <Table.Th>{t("accounts.currency")}</Table.Th>
            <Table.Th>{t("accounts.ledger")}</Table.Th>
            <Table.Th ta="end">{t("accounts.balance")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((account) => (
            <Table.Tr key={account.id} data-testid="bank-account" data-name={account.name} aria-current={account.id === chosenId || undefined}>
              <Table.Td fw={account.id === chosenId ? 600 : undefined}>{account.name}</Table.Td>
              <Table.Td dir="ltr">{account.iban ?? "—"}</Table.Td>
              <Table.Td>{account.currency}</Table.Td>
              <Table.Td dir="ltr">{account.ledger_account}</Table.Td>
              <Table.Td ta="end" data-testid="bank-balance">
                {balanceOf(account)}
              </Table.Td>
              <Table.Td>
                {account.id === chosenId ? (
                  <Badge variant="light">{t("accounts.chosen")}</Badge>
                ) : (
                  <Button size="xs" variant="subtle" onClick={() => onChoose(account.id)} aria-label={`${t("accounts.choose")} ${account.name}`}>
                    {t("accounts.choose")}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function AddBankAccount({ scope, onDone }: { scope: BooksScope; onDone: (id: string | null) => void }) {
  const { t } = useTranslation(BANK_NS);
  const ledgerAccounts = useAccounts(scope);
  const base = useBookSettings(scope).data?.base_currency ?? "";
  const add = useAddBankAccount(scope);
  const [name, setName] = useState("");
  const [iban, setIban] = useState("");
  const [currency, setCurrency] = useState<string | null>(null);
  const [ledger, setLedger] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const shownCurrency = currency ?? base;
  const assets = (ledgerAccounts.data?.items ?? []).filter((account) => account.type === "asset" && account.status === "open");
  const currencyOk = /^[A-Z]{3}$/.test(shownCurrency);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!name.trim() || !ledger || !currencyOk) return;
    add.mutate(
      { name: name.trim(), ledger_account: ledger, currency: shownCurrency, iban: iban.trim() || null },
      {
        onSuccess: (account) => {
          notifications.show({ color: "teal", message: t("accounts.added", { name: account.name }) });
          onDone(account.id);
        },
      },
    );
  }

  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} aria-labelledby="bank-add-title" data-testid="bank-add-form">
      <Stack gap="sm">
        <Title order={4} id="bank-add-title">
          {t("accounts.addTitle")}
        </Title>
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label={t("accounts.name")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={LIMITS.name}
            error={submitted && !name.trim() ? t("accounts.required") : undefined}
            w={240}
            required
          />
          <TextInput label={t("accounts.iban")} value={iban} onChange={(e) => setIban(e.currentTarget.value)} maxLength={42} w={280} dir="ltr" />
          <TextInput
            label={t("accounts.currency")}
            value={shownCurrency}
            onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
            maxLength={3}
            error={submitted && !currencyOk ? t("accounts.currencyFormat") : undefined}
            w={110}
            dir="ltr"
            required
          />
          <Select
            label={t("accounts.ledger")}
            description={t("accounts.ledgerHint")}
            data={assets.map((account) => ({ value: account.code, label: `${account.code} · ${account.name}` }))}
            value={ledger}
            onChange={(value) => setLedger(value === null ? null : String(value))}
            searchable
            error={submitted && !ledger ? t("accounts.required") : undefined}
            w={280}
            required
            data-testid="bank-add-ledger"
          />
        </Group>
        {add.error && <ErrorAlert error={add.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(null)}>
            {t("accounts.cancel")}
          </Button>
          <Button type="submit" loading={add.isPending}>
            {t("accounts.save")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
