/** How often double keying's two blind passes agreed, as a table: the console's accuracy page and the portal's batch report. */
import "./i18n";
import { Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";
import { formatShare } from "../lib/percent";
import { NS } from "./i18n";

export interface AgreementRow {
  key: string;
  name: string;
  compared: number;
  agreed: number;
  agreement?: number | null;
}

/** How often the two passes agreed: of the fields compared (both passes in), how many alike. */
export function AgreementTable({ rows, testId }: { rows: AgreementRow[]; testId: string }) {
  const { t, i18n } = useTranslation(NS);
  if (!rows.length) return <Text size="sm" c="dimmed">{t("accuracy.noComparisons")}</Text>;
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <Table striped data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th />
          <Table.Th>{t("accuracy.compared")}</Table.Th>
          <Table.Th>{t("accuracy.agreed")}</Table.Th>
          <Table.Th>{t("accuracy.agreement")}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.key} data-testid="agreement-row" data-key={row.key}>
            <Table.Td>
              <bdi>{row.name}</bdi>
            </Table.Td>
            <Table.Td>{number(row.compared)}</Table.Td>
            <Table.Td>{number(row.agreed)}</Table.Td>
            <Table.Td data-testid="agreement">{formatShare(row.agreement, i18n.language)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
