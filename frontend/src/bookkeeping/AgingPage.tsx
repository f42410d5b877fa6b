/**
 * Receivables or payables aging (`?side=receivable|payable&to=`): what each contact has open at a
 * date, by days past due (current to 30, 31–60, 61–90, over 90), with the totals, in the book's
 * currency. A blank date is today where the tenant works (the server's default).
 */
import "./i18n";
import "./itemsI18n";
import { Group, SegmentedControl, Stack, Table, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParamSetter } from "../lib/useSearchParam";
import { QueryState } from "../components/QueryState";
import { formatDate } from "../lib/format";
import { WithBooks } from "./BooksSection";
import { type BookMoney, useBookMoney } from "./bookMoney";
import { ITEMS_NS } from "./itemsI18n";
import { type Aging, type AgingKind, useAging } from "./itemsQueries";
import { AGING_BUCKETS } from "./openItems";
import type { BooksScope } from "./queries";

const SIDES: AgingKind[] = ["receivable", "payable"];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function Component() {
  return <WithBooks>{(scope) => <AgingReport scope={scope} />}</WithBooks>;
}

function AgingReport({ scope }: { scope: BooksScope }) {
  const { t } = useTranslation(ITEMS_NS);
  const money = useBookMoney(scope);
  const [params, set] = useSearchParamSetter();
  const side: AgingKind = params.get("side") === "payable" ? "payable" : "receivable";
  const to = params.get("to") ?? "";
  const aging = useAging(scope, side, ISO_DATE.test(to) ? to : "");

  return (
    <Stack gap="md">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <SegmentedControl
          aria-label={t("aging.side")}
          data={SIDES.map((value) => ({ value, label: t(`aging.kinds.${value}`) }))}
          value={side}
          onChange={(value) => set("side", value)}
          data-testid="books-aging-side"
        />
        <TextInput type="date" label={t("aging.asOf")} value={to} onChange={(e) => set("to", e.currentTarget.value)} data-testid="books-aging-date" />
      </Group>
      <QueryState query={aging}>{(report) => <AgingTable report={report} money={money} />}</QueryState>
    </Stack>
  );
}

function AgingTable({ report, money }: { report: Aging; money: BookMoney }) {
  const { t, i18n } = useTranslation(ITEMS_NS);
  const cell = { fontVariantNumeric: "tabular-nums" } as const;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t("aging.asOf")} {formatDate(report.to, i18n.language, "UTC")} · {t("aging.currency", { currency: report.currency })}
      </Text>
      {report.rows.length === 0 ? (
        <Text c="dimmed" ta="center" py="lg" data-empty="true">
          {t("aging.empty")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760} type="native">
          <Table striped verticalSpacing="xs" data-testid="books-aging" data-side={report.kind}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("aging.contact")}</Table.Th>
                {AGING_BUCKETS.map((bucket) => (
                  <Table.Th key={bucket} ta="end">
                    {t(`aging.buckets.${bucket}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.rows.map((row) => (
                <Table.Tr key={row.contact_id} data-testid="books-aging-row" data-contact={row.contact}>
                  <Table.Td>
                    <bdi>{row.contact}</bdi>
                  </Table.Td>
                  {AGING_BUCKETS.map((bucket) => (
                    <Table.Td key={bucket} ta="end" style={cell} data-bucket={bucket} fw={bucket === "total" ? 600 : undefined}>
                      {row[bucket] ? money.format(row[bucket]) : "—"}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr data-testid="books-aging-totals" fw={600}>
                <Table.Td>{t("aging.totals")}</Table.Td>
                {AGING_BUCKETS.map((bucket) => (
                  <Table.Td key={bucket} ta="end" style={cell} data-bucket={bucket}>
                    {money.format(report.totals[bucket])}
                  </Table.Td>
                ))}
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
