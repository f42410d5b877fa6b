/**
 * A new journal entry, made for the keyboard: date, memo, then lines of account code, debit, credit
 * and description. Tab walks the boxes; Enter in a line's last box adds a line and goes to it;
 * Ctrl+Enter saves and posts. The totals and their difference follow every keystroke, and an
 * entry that does not balance is not sent (the server refuses it the same way).
 */
import "./i18n";
import { ActionIcon, Alert, Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ErrorAlert } from "../components/QueryState";
import { useTenantZone } from "../lib/tenants";
import { WithBooks } from "./BooksSection";
import { useBookMoney } from "./bookMoney";
import { NS } from "./i18n";
import { BOOKS_LIMITS, EMPTY_LINE, entryProblem, type LineDraft, lineProblem, toLinesIn, totals } from "./lines";
import { type BooksScope, type Entry, useAccounts, useCreateEntry } from "./queries";

const FIRST_LINES = 2;

export function Component() {
  return <WithBooks>{(scope) => <NewEntry scope={scope} />}</WithBooks>;
}

/** Today where the tenant works (YYYY-MM-DD): what the server also takes as an entry's default date. */
function today(timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date());
}

/**
 * Where the form sends the entry: by default a new journal entry, then back to the list. A desk's
 * workspace books a document with the same form (bookkeeping/WorkPage.tsx): its own `create` (same
 * variables, answering the entry), what to do once saved, and no draft or cancel buttons.
 */
export interface EntryTarget {
  create: ReturnType<typeof useCreateEntry>;
  onSaved: (entry: Entry) => void;
}

export function NewEntry({ scope, target }: { scope: BooksScope; target?: EntryTarget }) {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const accounts = useAccounts(scope);
  const newEntry = useCreateEntry(scope);
  const create = target?.create ?? newEntry;
  const zone = useTenantZone(scope.tenantId);
  const [date, setDate] = useState(() => today(zone));
  const [memo, setMemo] = useState("");
  const [lines, setLines] = useState<LineDraft[]>(() => Array.from({ length: FIRST_LINES }, () => EMPTY_LINE));
  // The line whose account box takes the focus once it is drawn (a line just added).
  const focusLine = useRef<number | null>(null);
  const accountBoxes = useRef<(HTMLInputElement | null)[]>([]);

  useEffect(() => {
    if (focusLine.current === null) return;
    accountBoxes.current[focusLine.current]?.focus();
    focusLine.current = null;
  }, [lines.length]);

  // Amounts are typed and shown in the book's currency (its digits: three for KWD).
  const money = useBookMoney(scope);
  const sum = totals(lines, money.digits);
  const problem = entryProblem(lines, money.digits);
  const amount = money.format;
  const back = `/console/books/entries?tenant=${scope.tenantId}`;

  const change = (index: number, field: keyof LineDraft, value: string) =>
    setLines((current) => current.map((line, at) => (at === index ? { ...line, [field]: value } : line)));
  const addLine = () => {
    focusLine.current = lines.length;
    setLines((current) => [...current, EMPTY_LINE]);
  };
  const removeLine = (index: number) => setLines((current) => current.filter((_, at) => at !== index));

  const save = (post: boolean) => {
    if (problem !== null || create.isPending) return;
    create.mutate(
      { body: { date, memo: memo.trim(), lines: toLinesIn(lines, money.digits) }, post },
      {
        onSuccess: (entry: Entry) => {
          const key = entry.status === "posted" ? "entries.done.post" : entry.status === "pending_approval" ? "entries.waiting" : "form.saved";
          notifications.show({ color: entry.status === "pending_approval" ? "orange" : "teal", message: t(key) });
          if (target) target.onSaved(entry);
          else navigate(back);
        },
      },
    );
  };

  const onLastBox = (index: number) => (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && index === lines.length - 1) {
      event.preventDefault();
      addLine();
    }
  };

  return (
    <form
      data-testid="books-entry-form"
      onSubmit={(event) => {
        event.preventDefault();
        save(true);
      }}
      onKeyDown={(event: KeyboardEvent<HTMLFormElement>) => {
        if (event.key !== "Enter") return;
        if (event.ctrlKey || event.metaKey) {
          event.preventDefault();
          save(true);
        } else if (event.target instanceof HTMLInputElement) {
          // A plain Enter in a box never posts the entry by accident (the browser's implicit submit).
          event.preventDefault();
        }
      }}
    >
      <Stack gap="md">
      <Title order={3}>{t("form.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("form.keys")}
      </Text>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput type="date" label={t("form.date")} value={date} onChange={(e) => setDate(e.currentTarget.value)} required />
        <TextInput label={t("form.memo")} value={memo} onChange={(e) => setMemo(e.currentTarget.value)} maxLength={BOOKS_LIMITS.memo} w={420} maw="100%" />
      </Group>
      <datalist id="books-account-codes">
        {(accounts.data?.items ?? [])
          .filter((account) => account.status === "open")
          .map((account) => (
            <option key={account.id} value={account.code}>
              {account.name}
            </option>
          ))}
      </datalist>
      <Table.ScrollContainer minWidth={720} type="native">
        <Table verticalSpacing={4} data-testid="books-entry-lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={160}>{t("form.account")}</Table.Th>
              <Table.Th w={150}>{t("form.debit")}</Table.Th>
              <Table.Th w={150}>{t("form.credit")}</Table.Th>
              <Table.Th>{t("form.description")}</Table.Th>
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((line, index) => {
              const wrong = lineProblem(line, money.digits);
              const number = index + 1;
              return (
                <Table.Tr key={index}>
                  <Table.Td>
                    <TextInput
                      ref={(box) => {
                        accountBoxes.current[index] = box;
                      }}
                      aria-label={t("form.accountOf", { line: number })}
                      value={line.account}
                      onChange={(e) => change(index, "account", e.currentTarget.value)}
                      list="books-account-codes"
                      dir="ltr"
                      maxLength={BOOKS_LIMITS.code}
                      error={wrong === "account" ? t("form.lineProblems.account") : undefined}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={t("form.debitOf", { line: number })}
                      value={line.debit}
                      onChange={(e) => change(index, "debit", e.currentTarget.value)}
                      inputMode="decimal"
                      dir="ltr"
                      maxLength={24}
                      error={wrong === "amount" || wrong === "oneSide" || wrong === "noAmount" ? t(`form.lineProblems.${wrong}`) : undefined}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={t("form.creditOf", { line: number })}
                      value={line.credit}
                      onChange={(e) => change(index, "credit", e.currentTarget.value)}
                      inputMode="decimal"
                      dir="ltr"
                      maxLength={24}
                      error={wrong === "amount" || wrong === "oneSide" || wrong === "noAmount" ? true : undefined}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={t("form.descriptionOf", { line: number })}
                      value={line.description}
                      onChange={(e) => change(index, "description", e.currentTarget.value)}
                      onKeyDown={onLastBox(index)}
                      maxLength={BOOKS_LIMITS.description}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      onClick={() => removeLine(index)}
                      disabled={lines.length <= 1}
                      aria-label={t("form.removeLine", { line: number })}
                      tabIndex={-1}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr fw={600}>
              <Table.Td>{t("form.totals")}</Table.Td>
              <Table.Td ta="end" data-testid="books-total-debit" style={{ fontVariantNumeric: "tabular-nums" }}>
                {amount(sum.debit)}
              </Table.Td>
              <Table.Td ta="end" data-testid="books-total-credit" style={{ fontVariantNumeric: "tabular-nums" }}>
                {amount(sum.credit)}
              </Table.Td>
              <Table.Td colSpan={2} data-testid="books-difference" c={sum.difference === 0 ? "teal" : "red"}>
                {sum.difference === 0 ? t("form.balanced") : `${t("form.difference")}: ${amount(sum.difference)}`}
              </Table.Td>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      <Group>
        <Button variant="subtle" leftSection={<IconPlus size={16} />} onClick={addLine}>
          {t("form.addLine")}
        </Button>
      </Group>
      {problem !== null && (
        <Alert color={problem === "unbalanced" ? "red" : "gray"} data-testid="books-entry-problem">
          {t(`form.problems.${problem}`, { difference: amount(Math.abs(sum.difference)) })}
        </Alert>
      )}
      {create.error && <ErrorAlert error={create.error} />}
      <Group justify="flex-end">
        {!target && (
          <>
            <Button variant="default" onClick={() => navigate(back)}>
              {t("form.cancel")}
            </Button>
            <Button variant="light" disabled={problem !== null} loading={create.isPending} onClick={() => save(false)}>
              {t("form.saveDraft")}
            </Button>
          </>
        )}
        <Button type="submit" disabled={problem !== null} loading={create.isPending}>
          {t("form.saveAndPost")}
        </Button>
      </Group>
      </Stack>
    </form>
  );
}
