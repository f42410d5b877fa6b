/** One tenant's chart of accounts, in code order, with the form to add an account (bookkeepers). */
import "./i18n";
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, QueryState } from "../components/QueryState";
import { WithBooks } from "./BooksSection";
import { NS } from "./i18n";
import { BOOKS_LIMITS } from "./lines";
import { LIMITS } from "../lib/limits";
import { type Account, type AccountIn, type BooksScope, useAccounts, useAddAccount } from "./queries";

const TYPES: AccountIn["type"][] = ["asset", "liability", "equity", "income", "expense"];

export function Component() {
  return <WithBooks>{(scope) => <Accounts scope={scope} />}</WithBooks>;
}

function Accounts({ scope }: { scope: BooksScope }) {
  const { t } = useTranslation(NS);
  const accounts = useAccounts(scope);
  return (
    <Stack gap="lg">
      <AddAccount scope={scope} />
      <Stack gap="sm">
        <Title order={3}>{t("accounts.title")}</Title>
        <QueryState query={accounts} empty={(page) => !page.items?.length} emptyText={t("accounts.empty")}>
          {(page) => <AccountTable accounts={page.items ?? []} />}
        </QueryState>
      </Stack>
    </Stack>
  );
}

function AccountTable({ accounts }: { accounts: Account[] }) {
  const { t } = useTranslation(NS);
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table striped verticalSpacing="xs" data-testid="books-accounts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("accounts.code")}</Table.Th>
            <Table.Th>{t("accounts.name")}</Table.Th>
            <Table.Th>{t("accounts.type")}</Table.Th>
            <Table.Th>{t("accounts.group")}</Table.Th>
            <Table.Th>{t("accounts.status")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((account) => (
            <Table.Tr key={account.id} data-code={account.code}>
              <Table.Td>
                <Text size="sm" ff="monospace" dir="ltr" ta="start">
                  {account.code}
                </Text>
              </Table.Td>
              <Table.Td>
                <bdi>{account.name}</bdi>
              </Table.Td>
              <Table.Td>{t(`accountType.${account.type}`)}</Table.Td>
              <Table.Td>
                <bdi>{account.group ?? ""}</bdi>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={account.status === "open" ? "teal" : "gray"}>
                  {t(`status.${account.status}`)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function AddAccount({ scope }: { scope: BooksScope }) {
  const { t } = useTranslation(NS);
  const add = useAddAccount(scope);
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [type, setType] = useState<AccountIn["type"]>("expense");
  const [group, setGroup] = useState("");
  return (
    <form
      data-testid="books-add-account"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate(
          { code: code.trim(), name: name.trim(), type, group: group.trim() || null },
          {
            onSuccess: (account) => {
              notifications.show({ color: "teal", message: t("accounts.added", { code: account.code }) });
              setCode("");
              setName("");
              setGroup("");
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <Title order={3}>{t("accounts.add")}</Title>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput label={t("accounts.code")} value={code} onChange={(e) => setCode(e.currentTarget.value)} required maxLength={BOOKS_LIMITS.code} dir="ltr" w={120} />
          <TextInput label={t("accounts.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={LIMITS.name} w={260} />
          <Select
            label={t("accounts.type")}
            data={TYPES.map((value) => ({ value, label: t(`accountType.${value}`) }))}
            value={type}
            onChange={(value) => value && setType(value as AccountIn["type"])}
            allowDeselect={false}
            w={160}
          />
          <TextInput label={t("accounts.group")} value={group} onChange={(e) => setGroup(e.currentTarget.value)} maxLength={BOOKS_LIMITS.group} w={200} />
          <Button type="submit" loading={add.isPending} disabled={!code.trim() || !name.trim()}>
            {t("accounts.add")}
          </Button>
        </Group>
        {add.error && <ErrorAlert error={add.error} />}
      </Stack>
    </form>
  );
}
