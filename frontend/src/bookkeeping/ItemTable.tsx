/**
 * Invoices or bills as a table: number, contact, dates, amount, what is still open and the status.
 * Given a selection, each payable row has a box to choose it for a payment.
 */
import { Badge, Checkbox, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatDate } from "../lib/format";
import { ITEMS_NS } from "./itemsI18n";
import { isPayable, type ItemStatus, type OpenItem } from "./openItems";

const STATUS_COLORS: Record<ItemStatus, string> = {
  pending_approval: "orange",
  open: "blue",
  partially_paid: "yellow",
  paid: "teal",
  void: "gray",
};

export function ItemStatusBadge({ status }: { status: ItemStatus }) {
  const { t } = useTranslation(ITEMS_NS);
  return (
    <Badge color={STATUS_COLORS[status]} variant="light">
      {t(`items.statuses.${status}`)}
    </Badge>
  );
}

interface ItemTableProps {
  items: OpenItem[];
  money: (minor: number) => string;
  /** Leave out the contact column (a contact's own items). */
  hideContact?: boolean;
  selection?: { chosen: ReadonlySet<string>; toggle: (item: OpenItem) => void };
}

const amountStyle = { fontVariantNumeric: "tabular-nums" } as const;

export function ItemTable({ items, money, hideContact, selection }: ItemTableProps) {
  const { t, i18n } = useTranslation(ITEMS_NS);
  return (
    <Table.ScrollContainer minWidth={760} type="native">
      <Table striped verticalSpacing="xs" data-testid="books-items">
        <Table.Thead>
          <Table.Tr>
            {selection && <Table.Th w={40} />}
            <Table.Th>{t("items.number")}</Table.Th>
            {!hideContact && <Table.Th>{t("items.contact")}</Table.Th>}
            <Table.Th>{t("items.date")}</Table.Th>
            <Table.Th>{t("items.dueDate")}</Table.Th>
            <Table.Th ta="end">{t("items.amount")}</Table.Th>
            <Table.Th ta="end">{t("items.openAmount")}</Table.Th>
            <Table.Th>{t("items.status")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id} data-testid="books-item" data-number={item.number} data-status={item.status}>
              {selection && (
                <Table.Td>
                  {isPayable(item) && (
                    <Checkbox
                      aria-label={t("items.select", { number: item.number })}
                      checked={selection.chosen.has(item.id)}
                      onChange={() => selection.toggle(item)}
                    />
                  )}
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm" dir="ltr" ta="start" ff="monospace">
                  {item.number}
                </Text>
              </Table.Td>
              {!hideContact && (
                <Table.Td>
                  <bdi>{item.contact}</bdi>
                </Table.Td>
              )}
              <Table.Td>{formatDate(item.date, i18n.language, "UTC")}</Table.Td>
              <Table.Td>{formatDate(item.due_date, i18n.language, "UTC")}</Table.Td>
              <Table.Td ta="end" style={amountStyle}>
                {money(item.amount)}
              </Table.Td>
              <Table.Td ta="end" style={amountStyle} data-testid="books-item-open">
                {money(item.open_amount)}
              </Table.Td>
              <Table.Td>
                <ItemStatusBadge status={item.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
