/**
 * The books' reports: choose one and its dates (kept in the address: `?report=&from=&to=`), read it
 * as a table with amounts in the reader's digits, or download it as a PDF, XLSX or CSV file written
 * in the reader's language.
 */
import "./i18n";
import { Button, Group, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDownload } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useSearchParamSetter } from "../lib/useSearchParam";
import { QueryState, errorMessage } from "../components/QueryState";
import { isLanguage } from "../i18n";
import { formatDate } from "../lib/format";
import { WithBooks } from "./BooksSection";
import { type BookMoney, useBookMoney } from "./bookMoney";
import { NS } from "./i18n";
import { type BooksScope, useReport, useReportDownload } from "./queries";
import {
  FILE_FORMATS,
  isReport,
  REPORTS,
  type ReportKind,
  type ReportRow,
  type ReportTable,
  reportQuery,
  reportTable,
  takesFrom,
} from "./reports";

export function Component() {
  return <WithBooks>{(scope) => <Reports scope={scope} />}</WithBooks>;
}

function Reports({ scope }: { scope: BooksScope }) {
  const { t, i18n } = useTranslation(NS);
  const [params, set] = useSearchParamSetter();
  const asked = params.get("report");
  const kind: ReportKind = isReport(asked) ? asked : "trial-balance";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const query = reportQuery(kind, from, to);
  const report = useReport(scope, kind, query);
  const download = useReportDownload(scope);
  const money = useBookMoney(scope);
  const lang = isLanguage(i18n.language) ? i18n.language : "en";


  return (
    <Stack gap="md">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t("reports.report")}
          data={REPORTS.map((value) => ({ value, label: t(`reports.kinds.${value}`) }))}
          value={kind}
          onChange={(value) => set("report", value)}
          allowDeselect={false}
          w={240}
          data-testid="books-report"
        />
        {takesFrom(kind) && (
          <TextInput type="date" label={t("reports.from")} value={from} onChange={(e) => set("from", e.currentTarget.value)} />
        )}
        <TextInput
          type="date"
          label={takesFrom(kind) ? t("reports.to") : t("reports.asOf")}
          value={to}
          onChange={(e) => set("to", e.currentTarget.value)}
        />
        <Group gap="xs">
          {FILE_FORMATS.map((format) => (
            <Button
              key={format}
              variant="default"
              leftSection={<IconDownload size={16} />}
              aria-label={t("reports.downloadAs", { format: format.toUpperCase() })}
              loading={download.isPending && download.variables?.format === format}
              onClick={() =>
                download.mutate(
                  { kind, query, format, lang },
                  {
                    onError: (error) =>
                      notifications.show({ color: "red", title: t("reports.downloadFailed"), message: errorMessage(error, "") }),
                  },
                )
              }
            >
              {format.toUpperCase()}
            </Button>
          ))}
        </Group>
      </Group>
      <QueryState query={report}>
        {(body) => <ReportView table={reportTable(kind, body)} showDate={kind === "general-ledger"} money={money} />}
      </QueryState>
    </Stack>
  );
}

function ReportView({ table, showDate, money }: { table: ReportTable; showDate: boolean; money: BookMoney }) {
  const { t, i18n } = useTranslation(NS);
  if (table.rows.length === 0) {
    return (
      <Text c="dimmed" ta="center" py="lg" data-empty="true">
        {t("reports.empty")}
      </Text>
    );
  }
  const amount = (value: number | null | undefined) => (value === null || value === undefined ? "" : money.format(value));
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table verticalSpacing="xs" data-testid="books-report-table">
        <Table.Thead>
          <Table.Tr>
            {showDate && <Table.Th>{t("reports.date")}</Table.Th>}
            <Table.Th>{t("reports.account")}</Table.Th>
            <Table.Th>{t("reports.name")}</Table.Th>
            {table.columns.map((column) => (
              <Table.Th key={column} ta="end">
                {t(`reports.columns.${column}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((row, index) => (
            <Table.Tr key={index} data-row-kind={row.kind} fw={row.kind === "row" ? undefined : 600} bg={row.kind === "heading" ? "var(--mantine-color-default-hover)" : undefined}>
              {showDate && <Table.Td>{row.detail ? formatDate(row.detail, i18n.language, "UTC") : ""}</Table.Td>}
              <RowLabel row={row} />
              {table.columns.map((column) => (
                <Table.Td key={column} ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                  {amount(row.amounts[column])}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** An account row shows its code and name; a heading, total or figure its words across both cells. */
function RowLabel({ row }: { row: ReportRow }) {
  const { t } = useTranslation(NS);
  if (row.label) return <Table.Td colSpan={2}>{t(`reports.labels.${row.label}`)}</Table.Td>;
  return (
    <>
      <Table.Td>
        <bdi>{row.account}</bdi>
      </Table.Td>
      <Table.Td>
        <bdi>{row.name}</bdi>
      </Table.Td>
    </>
  );
}
