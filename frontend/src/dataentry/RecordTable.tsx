/** A page of a batch's records: row, status, each field's value, and the problem under a field that has one. */
import { Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";
import { RecordStatusBadge } from "./Badges";
import { NS } from "./i18n";
import type { DataRecord } from "./queries";
import { labelOf, textOf } from "./records";
import type { FieldDefinition } from "./validation";

export function RecordTable({ records, fields }: { records: DataRecord[]; fields: FieldDefinition[] }) {
  const { t, i18n } = useTranslation(NS);
  // Until the schema arrives, the records' own keys name the columns.
  const columns = fields.length ? fields.map((field) => ({ name: field.name, label: labelOf(field) })) : namesOf(records);
  return (
    <Table.ScrollContainer minWidth={240 + columns.length * 160} type="native">
      <Table striped verticalSpacing="xs" data-testid="record-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("batch.row")}</Table.Th>
            <Table.Th>{t("batch.status")}</Table.Th>
            {columns.map((column) => (
              <Table.Th key={column.name}>
                <bdi>{column.label}</bdi>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {records.map((record) => (
            <Table.Tr key={record.id} data-testid="record-row" data-row={record.row_number} data-problems={Object.keys(record.problems).length || undefined}>
              <Table.Td>{formatNumber(record.row_number, i18n.language)}</Table.Td>
              <Table.Td>
                <RecordStatusBadge status={record.status} />
              </Table.Td>
              {columns.map((column) => {
                const problem = record.problems[column.name];
                return (
                  <Table.Td key={column.name} data-field={column.name} data-problem={problem ? "true" : undefined}>
                    <Stack gap={2}>
                      <Text size="sm" dir="auto" ta="start">
                        {textOf(record.values[column.name])}
                      </Text>
                      {problem && (
                        <Text size="xs" c="red" dir="ltr" ta="start" lang="en" data-testid="record-problem">
                          {problem}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function namesOf(records: DataRecord[]): { name: string; label: string }[] {
  const names = new Set(records.flatMap((record) => [...Object.keys(record.values), ...Object.keys(record.problems)]));
  return [...names].map((name) => ({ name, label: name }));
}
