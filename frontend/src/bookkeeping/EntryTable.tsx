/** Journal entries as a table: number, date, memo, each line's account and amount, status, and the actions allowed. */
import { Badge, Group, Stack, Table, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatDate } from "../lib/format";
import { NS } from "./i18n";
import { useBookMoney } from "./bookMoney";
import { type BooksScope, type Entry, type EntryStatus, useBooksScope } from "./queries";

const STATUS_COLORS: Record<EntryStatus, string> = { draft: "gray", pending_approval: "orange", posted: "teal" };

export function EntryStatusBadge({ status }: { status: EntryStatus }) {
  const { t } = useTranslation(NS);
  return (
    <Badge color={STATUS_COLORS[status]} variant="light">
      {t(`status.${status}`)}
    </Badge>
  );
}

interface EntryTableProps {
  entries: Entry[];
  actions?: (entry: Entry) => ReactNode;
  /** Whose books, when not the section's (the booking workspace names its item's tenant). */
  scope?: BooksScope;
}

export function EntryTable({ entries, actions, scope }: EntryTableProps) {
  const { t, i18n } = useTranslation(NS);
  const section = useBooksScope();
  const money = useBookMoney(scope ?? section);
  const amount = (value: number) => (value ? money.format(value) : "");
  return (
    <Table.ScrollContainer minWidth={820} type="native">
      <Table striped verticalSpacing="sm" data-testid="books-entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("entries.number")}</Table.Th>
            <Table.Th>{t("entries.date")}</Table.Th>
            <Table.Th>{t("entries.memo")}</Table.Th>
            <Table.Th>{t("entries.lines")}</Table.Th>
            <Table.Th>{t("entries.status")}</Table.Th>
            {actions && <Table.Th>{t("entries.actions")}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id} data-testid="books-entry" data-number={entry.number ?? ""} data-status={entry.status}>
              <Table.Td>
                <Text size="sm" dir="ltr" ta="start" ff="monospace">
                  {entry.number ?? "—"}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDate(entry.date, i18n.language, "UTC")}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <bdi>{entry.memo}</bdi>
                </Text>
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {entry.lines.map((line, index) => (
                    <Group key={index} gap="xs" wrap="nowrap">
                      <Text size="xs" ff="monospace" dir="ltr" w={70}>
                        {line.account}
                      </Text>
                      <Text size="xs" w={110} ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                        {amount(line.debit)}
                      </Text>
                      <Text size="xs" w={110} ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                        {amount(line.credit)}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        <bdi>{line.description}</bdi>
                      </Text>
                    </Group>
                  ))}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Stack gap={4} align="flex-start">
                  <EntryStatusBadge status={entry.status} />
                  {entry.reversed_by && (
                    <Badge color="grape" variant="outline" size="sm">
                      {t("entries.reversedBy")}
                    </Badge>
                  )}
                </Stack>
              </Table.Td>
              {actions && (
                <Table.Td>
                  <Group gap="xs">{actions(entry)}</Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
