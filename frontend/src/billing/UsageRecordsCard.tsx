/**
 * Usage you can audit: each unit counted in a month, when it was counted, and the work item that
 * earned it (a link to the request), so a client admin can check every billable unit.
 */
import { Anchor, Card, Group, Pagination, Select, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, unwrap } from "../api/client";
import { QueryState } from "../components/QueryState";
import { formatDateTime, formatNumber } from "../lib/format";
import { monthLabel } from "../portal/months";
import { NS } from "./i18n";
import { meterName, usageMonths } from "./plan";
import { billingKey, type Subscription } from "./queries";

const PAGE_SIZE = 25;
const MONTHS_OFFERED = 12;

export function UsageRecordsCard({ timeZone, subscription }: { timeZone: string; subscription: Subscription }) {
  const { t, i18n } = useTranslation(NS);
  const language = i18n.language;
  const months = usageMonths(subscription.started_at, timeZone, MONTHS_OFFERED);
  const [period, setPeriod] = useState(months[0]);
  const [page, setPage] = useState(1);
  const records = useQuery({
    queryKey: [...billingKey(null), "usage-records", period, page],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/usage/records", {
          params: { query: { period, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } },
        }),
      ),
  });
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-usage-records-title">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
        <Title order={3} size="h4" id="billing-usage-records-title">
          {t("usageRecords.title")}
        </Title>
        <Select
          aria-label={t("usage.month")}
          data={months.map((value) => ({ value, label: monthLabel(value, language) }))}
          value={period}
          onChange={(value) => {
            if (value) {
              setPeriod(value);
              setPage(1);
            }
          }}
          allowDeselect={false}
          w={190}
        />
      </Group>
      <QueryState query={records} empty={(found) => !found.items.length} emptyText={t("usageRecords.none")}>
        {(found) => (
          <>
            <Table.ScrollContainer minWidth={560} type="native">
              <Table verticalSpacing="xs" data-testid="usage-records-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("usage.meter")}</Table.Th>
                    <Table.Th ta="end">{t("usageRecords.quantity")}</Table.Th>
                    <Table.Th>{t("usageRecords.counted")}</Table.Th>
                    <Table.Th>{t("usageRecords.workItem")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {found.items.map((record) => (
                    <Table.Tr key={record.id}>
                      <Table.Td>{meterName(record.meter, t)}</Table.Td>
                      <Table.Td ta="end">{formatNumber(record.quantity, language)}</Table.Td>
                      <Table.Td>{formatDateTime(record.occurred_at, language, timeZone)}</Table.Td>
                      <Table.Td>
                        {record.work_item_id ? (
                          <Anchor component={Link} to={`/portal/items/${record.work_item_id}`} size="sm">
                            {record.work_item_title ?? t("usageRecords.item")}
                          </Anchor>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t("usageRecords.noItem")}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {found.total > PAGE_SIZE && (
              <Group justify="center" mt="sm">
                <Pagination total={Math.ceil(found.total / PAGE_SIZE)} value={page} onChange={setPage} />
              </Group>
            )}
          </>
        )}
      </QueryState>
    </Card>
  );
}
