/**
 * The console's adjudication list: every record whose two blind passes disagree, across the tenants
 * the caller serves, oldest batch first. Each opens the record's adjudication (AdjudicationRecord).
 * A record someone keyed is listed to them too; opening it says they may not settle it.
 */
import "./i18n";
import { Anchor, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatDateTime, formatNumber } from "../lib/format";
import { NS } from "./i18n";
import { useBatchNames, useRecordsInAdjudication } from "./queries";

const PAGE_SIZE = 25;

export function Component() {
  const { t, i18n } = useTranslation(NS);
  const paging = usePaging(PAGE_SIZE);
  const records = useRecordsInAdjudication(paging.limit, paging.offset);
  const batches = useBatchNames();
  return (
    <>
      <PageHeader title={t("adjudication.title")} />
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("adjudication.intro")}
        </Text>
        <QueryState query={records} empty={(page) => page.total === 0} emptyText={t("adjudication.none")}>
          {(page) => (
            <>
              <Table striped verticalSpacing="xs" data-testid="adjudication-list">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("adjudication.batch")}</Table.Th>
                    <Table.Th>{t("batch.row")}</Table.Th>
                    <Table.Th>{t("adjudication.since")}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((record) => {
                    const batch = batches.data?.get(record.batch_id);
                    const row = formatNumber(record.row_number, i18n.language);
                    return (
                      <Table.Tr key={record.id} data-testid="adjudication-row" data-record={record.id}>
                        <Table.Td>
                          <bdi>{batch ? `${batch.filename} · ${batch.schema_code}` : record.batch_id}</bdi>
                        </Table.Td>
                        <Table.Td>{row}</Table.Td>
                        <Table.Td>{formatDateTime(record.updated_at, i18n.language)}</Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={`/console/data-entry/adjudication/${record.id}`} size="sm">
                            {t("adjudication.open", { row })}
                          </Anchor>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
              <Paging total={page.total} paging={paging} />
            </>
          )}
        </QueryState>
      </Stack>
    </>
  );
}
