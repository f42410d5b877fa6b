/**
 * /console/billing/receivables: what every tenant still owes, the amount due per aging bucket (per
 * currency: amounts in different currencies are never added together), then each open or overdue
 * invoice, longest overdue first, linking to its tenant's billing.
 */
import "./i18n";
import { Anchor, Badge, Card, Group, Pagination, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatDate, formatNumber } from "../lib/format";
import { NS } from "./i18n";
import { useReceivables } from "./invoiceQueries";
import { type Bucket, bucketAmounts, currenciesOf } from "./invoices";
import { formatMoney } from "./money";

const PAGE_SIZE = 50;
const BUCKET_COLOR: Record<Bucket, string> = {
  current: "gray",
  "1-30": "yellow",
  "31-60": "orange",
  "61-90": "red",
  "90+": "grape",
};

export function Component() {
  const { t, i18n } = useTranslation(NS);
  const [page, setPage] = useState(1);
  const receivables = useReceivables((page - 1) * PAGE_SIZE, PAGE_SIZE);
  const language = i18n.language;
  return (
    <>
      <PageHeader title={t("receivables.title")} />
      <Text c="dimmed" size="sm" mt={-8} mb="md">
        {t("receivables.intro")}
      </Text>
      <QueryState query={receivables} empty={(found) => !found.total} emptyText={t("receivables.none")}>
        {(found) => (
          <Stack gap="md">
            {currenciesOf(found.totals).map((currency) => (
              <SimpleGrid key={currency} cols={{ base: 2, sm: 5 }} spacing="sm" data-testid={`buckets-${currency}`}>
                {bucketAmounts(found.totals, currency).map((bucket) => (
                  <Card key={bucket.bucket} withBorder padding="sm" data-bucket={bucket.bucket}>
                    <Text size="xs" c="dimmed">
                      {t(`receivables.buckets.${bucket.bucket}`)}
                    </Text>
                    <Text fw={600} data-testid="bucket-amount">
                      {formatMoney(bucket.amount, currency, language)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t("receivables.invoiceCount", { count: bucket.invoices, n: formatNumber(bucket.invoices, language) })}
                    </Text>
                  </Card>
                ))}
              </SimpleGrid>
            ))}
            <Card withBorder padding="md" component="section" aria-labelledby="receivables-list">
              <Title order={3} size="h4" id="receivables-list" mb="sm">
                {t("receivables.invoices")}
              </Title>
              <Table.ScrollContainer minWidth={760} type="native">
                <Table verticalSpacing="xs" data-testid="receivables-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("receivables.tenant")}</Table.Th>
                      <Table.Th>{t("invoices.number")}</Table.Th>
                      <Table.Th>{t("invoices.period")}</Table.Th>
                      <Table.Th ta="end">{t("invoices.total")}</Table.Th>
                      <Table.Th ta="end">{t("invoices.amountDue")}</Table.Th>
                      <Table.Th>{t("invoices.dueAt")}</Table.Th>
                      <Table.Th ta="end">{t("receivables.daysOverdue")}</Table.Th>
                      <Table.Th>{t("receivables.bucket")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {found.items.map((row) => (
                      <Table.Tr key={row.invoice_id} data-invoice={row.number} data-bucket={row.bucket}>
                        <Table.Td>
                          <Anchor component={Link} to={`/console/tenants/${row.tenant_id}/users`} size="sm">
                            {row.tenant_name}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{row.number}</Table.Td>
                        <Table.Td>{row.period}</Table.Td>
                        <Table.Td ta="end">{formatMoney(row.total, row.currency, language)}</Table.Td>
                        <Table.Td ta="end">{formatMoney(row.amount_due, row.currency, language)}</Table.Td>
                        <Table.Td>{formatDate(row.due_at, language)}</Table.Td>
                        <Table.Td ta="end">{formatNumber(row.days_overdue, language)}</Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={BUCKET_COLOR[row.bucket]}>
                            {t(`receivables.buckets.${row.bucket}`)}
                          </Badge>
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
            </Card>
          </Stack>
        )}
      </QueryState>
    </>
  );
}
