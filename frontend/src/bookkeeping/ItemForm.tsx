/**
 * Record a sales invoice or a vendor's bill (bookkeepers): the contact, its number, date and due date
 * (blank: the contact's payment terms), and the lines it books besides the control account (income
 * or expense, VAT). The total follows every keystroke in the book's currency; what the form can check
 * it checks before sending, and the server's refusal (a number taken, a control account) is shown
 * in the server's words.
 */
import { ActionIcon, Alert, Button, Group, Modal, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../components/QueryState";
import { useTenantZone } from "../lib/tenants";
import type { BookMoney } from "./bookMoney";
import { ITEMS_NS } from "./itemsI18n";
import { useContacts, useCreateItem } from "./itemsQueries";
import {
  contactKindOf,
  EMPTY_ITEM_LINE,
  ITEM_LIMITS,
  type ItemDraft,
  type ItemKind,
  type ItemLineDraft,
  itemLineProblem,
  itemProblem,
  itemTotal,
  tenantToday,
  toOpenItemIn,
} from "./openItems";
import { type BooksScope, useAccounts } from "./queries";

const CONTACTS_SHOWN = 200;

interface ItemFormProps {
  scope: BooksScope;
  kind: ItemKind;
  money: BookMoney;
  onClose: () => void;
}

export function ItemForm({ scope, kind, money, onClose }: ItemFormProps) {
  const { t } = useTranslation(ITEMS_NS);
  const create = useCreateItem(scope, kind);
  const contacts = useContacts(scope, { kind: contactKindOf(kind), q: "", limit: CONTACTS_SHOWN, offset: 0 });
  const accounts = useAccounts(scope);
  const zone = useTenantZone(scope.tenantId);
  const [draft, setDraft] = useState<ItemDraft>(() => ({
    contact: null,
    number: "",
    date: tenantToday(zone),
    dueDate: "",
    description: "",
    lines: [EMPTY_ITEM_LINE],
  }));
  const problem = itemProblem(draft, money.digits);
  const set = <K extends keyof ItemDraft>(field: K, value: ItemDraft[K]) => setDraft((current) => ({ ...current, [field]: value }));
  const setLine = (index: number, field: keyof ItemLineDraft, value: string) =>
    set("lines", draft.lines.map((line, at) => (at === index ? { ...line, [field]: value } : line)));
  // The lines book income (an invoice) or expense (a bill), and VAT on either side.
  const lineTypes = kind === "invoice" ? ["income", "liability"] : ["expense", "asset"];
  const lineAccounts = (accounts.data?.items ?? []).filter(
    (account) => account.status === "open" && lineTypes.includes(account.type) && !["1100", "2000"].includes(account.code),
  );
  const contactOptions = (contacts.data?.items ?? []).map((contact) => ({ value: contact.id, label: contact.name }));

  return (
    <Modal opened onClose={onClose} title={t(`itemForm.title.${kind}`)} size="xl">
      <form
        data-testid="books-item-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (problem !== null) return;
          create.mutate(toOpenItemIn(draft, money.digits), {
            onSuccess: (item) => {
              const waiting = item.status === "pending_approval";
              notifications.show({
                color: waiting ? "orange" : "teal",
                message: waiting ? t("items.waiting") : t(`items.created.${kind}`, { number: item.number }),
              });
              onClose();
            },
          });
        }}
      >
        <Stack gap="sm">
          <Group align="flex-start" gap="sm" grow>
            <Select
              label={t(`itemForm.contact.${kind}`)}
              data={contactOptions}
              value={draft.contact}
              onChange={(value) => set("contact", value)}
              searchable
              required
              nothingFoundMessage={t(`itemForm.noContacts.${kind}`)}
              data-testid="books-item-contact"
            />
            <TextInput label={t("itemForm.number")} value={draft.number} onChange={(e) => set("number", e.currentTarget.value)} required maxLength={ITEM_LIMITS.number} dir="ltr" />
          </Group>
          {contacts.isSuccess && contactOptions.length === 0 && (
            <Alert color="yellow">{t(`itemForm.noContacts.${kind}`)}</Alert>
          )}
          <Group align="flex-start" gap="sm" grow>
            <TextInput type="date" label={t("itemForm.date")} value={draft.date} onChange={(e) => set("date", e.currentTarget.value)} required />
            <TextInput type="date" label={t("itemForm.dueDate")} description={t("itemForm.dueDateHint")} value={draft.dueDate} onChange={(e) => set("dueDate", e.currentTarget.value)} />
          </Group>
          <TextInput label={t("itemForm.description")} value={draft.description} onChange={(e) => set("description", e.currentTarget.value)} maxLength={ITEM_LIMITS.memo} />
          <Text size="sm" fw={500}>
            {t("itemForm.lines")}
          </Text>
          <Text size="xs" c="dimmed">
            {t(`itemForm.linesHint.${kind}`)}
          </Text>
          <datalist id="books-item-accounts">
            {lineAccounts.map((account) => (
              <option key={account.id} value={account.code}>
                {account.name}
              </option>
            ))}
          </datalist>
          <Table verticalSpacing={4} data-testid="books-item-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={140}>{t("itemForm.account")}</Table.Th>
                <Table.Th w={150}>{t("itemForm.amount")}</Table.Th>
                <Table.Th>{t("itemForm.description")}</Table.Th>
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {draft.lines.map((line, index) => {
                const wrong = itemLineProblem(line, money.digits);
                const number = index + 1;
                return (
                  <Table.Tr key={index}>
                    <Table.Td>
                      <TextInput
                        aria-label={t("itemForm.accountOf", { line: number })}
                        value={line.account}
                        onChange={(e) => setLine(index, "account", e.currentTarget.value)}
                        list="books-item-accounts"
                        dir="ltr"
                        error={wrong === "account" ? t("itemForm.lineProblems.account") : undefined}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={t("itemForm.amountOf", { line: number })}
                        value={line.amount}
                        onChange={(e) => setLine(index, "amount", e.currentTarget.value)}
                        inputMode="decimal"
                        dir="ltr"
                        styles={{ input: { textAlign: "end" } }}
                        error={wrong === "amount" ? t("itemForm.lineProblems.amount") : undefined}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={t("itemForm.lineDescriptionOf", { line: number })}
                        value={line.description}
                        onChange={(e) => setLine(index, "description", e.currentTarget.value)}
                        maxLength={ITEM_LIMITS.line}
                      />
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t("itemForm.removeLine", { line: number })}
                        disabled={draft.lines.length === 1}
                        onClick={() => set("lines", draft.lines.filter((_, at) => at !== index))}
                        tabIndex={-1}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Group justify="space-between">
            <Button variant="subtle" leftSection={<IconPlus size={16} />} onClick={() => set("lines", [...draft.lines, EMPTY_ITEM_LINE])}>
              {t("itemForm.addLine")}
            </Button>
            <Text fw={600} data-testid="books-item-total" style={{ fontVariantNumeric: "tabular-nums" }}>
              {t("itemForm.total")}: {money.format(itemTotal(draft.lines, money.digits))}
            </Text>
          </Group>
          {problem !== null && problem !== "contact" && problem !== "number" && (
            <Text size="sm" c="red" data-testid="books-item-problem">
              {t(`itemForm.problems.${problem}`)}
            </Text>
          )}
          {create.error && <ErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("itemForm.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={problem !== null}>
              {t("itemForm.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
