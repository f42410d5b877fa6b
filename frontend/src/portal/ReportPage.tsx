/**
 * The monthly SLA report: for a client its own tenant, for staff every tenant they serve. A month
 * picker (this month and the two years before it), the month's totals, compliance per service type
 * as a chart, the full table, and the same figures as a CSV file.
 *
 * The month lives in the address (`?month=2026-11`), so a report can be linked and reloaded.
 */
import "@mantine/charts/styles.css";
import { BarChart } from "@mantine/charts";
import { Button, Card, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import { isStaff, useMe } from "../auth/session";
import { PriorityBadge } from "../components/Badges";
import { PageHeader } from "../components/PageHeader";
import { ErrorAlert, QueryState } from "../components/QueryState";
import { useTenantNames, useTenants } from "../lib/tenants";
import { direction, isLanguage } from "../i18n";
import { useServiceTypeNames } from "../items/serviceTypes";
import { formatMinutes, formatNumber } from "../lib/format";
import { formatPercent } from "../lib/percent";
import { saveFile } from "../lib/saveFile";
import { isMonth, latestMonth, monthLabel, monthsUpTo } from "./months";
import { complianceByService, hasActivity, isTotalsRow, overallTotals, type ReportRow, reportFileName } from "./report";

const MONTHS_OFFERED = 24;

/** The time zones of the tenants the report covers: "this month" is the latest begun in any of them. */
function useReportZones(): string[] {
  const me = useMe();
  const tenants = useTenants();
  if (me.tenant) return [me.tenant.timezone];
  return [...me.assigned_tenants, ...(tenants.data?.items ?? [])].map((tenant) => tenant.timezone);
}

export function Component() {
  const { t, i18n } = useTranslation("portal");
  const staff = isStaff(useMe());
  const latest = latestMonth(useReportZones());
  const [params, setParams] = useSearchParams();
  const asked = params.get("month");
  const month = isMonth(asked) ? asked : latest;
  const months = monthsUpTo(latest, MONTHS_OFFERED);
  // A linked month older than the list still shows as chosen.
  if (!months.includes(month)) months.push(month);

  const report = useQuery({
    queryKey: ["sla-report", month],
    queryFn: () => unwrap(api.GET("/api/v1/sla/reports", { params: { query: { month } } })),
  });
  const download = useMutation({
    mutationFn: async () => {
      const csv = await unwrap(
        api.GET("/api/v1/sla/reports", { params: { query: { month, format: "csv" } }, parseAs: "blob" }),
      );
      saveFile(csv, reportFileName(month));
    },
  });

  return (
    <>
      <PageHeader title={t("report.title")}>
        <Select
          aria-label={t("report.month")}
          data={months.map((value) => ({ value, label: monthLabel(value, i18n.language) }))}
          value={month}
          onChange={(value) => value && setParams({ month: value }, { replace: true })}
          allowDeselect={false}
          w={190}
          data-testid="report-month"
        />
        <Button
          variant="default"
          leftSection={<IconDownload size={18} />}
          loading={download.isPending}
          onClick={() => download.mutate()}
          data-testid="report-download"
        >
          {t("report.download")}
        </Button>
      </PageHeader>
      <Stack gap="md">
        {download.error && <ErrorAlert error={download.error} onRetry={() => download.mutate()} />}
        <QueryState query={report}>
          {(data) => (
            <>
              <Summary rows={data.rows} />
              <Card withBorder padding="md">
                <Title order={3} size="h4" mb="sm">
                  {t("report.chartTitle")}
                </Title>
                <ComplianceChart rows={data.rows} month={month} />
              </Card>
              <Card withBorder padding="md">
                <Title order={3} size="h4" mb="sm">
                  {t("report.tableTitle", { month: monthLabel(month, i18n.language) })}
                </Title>
                <ReportTable rows={data.rows} showTenant={staff} />
                <Text size="xs" c="dimmed" mt="sm">
                  {t("report.note")}
                </Text>
              </Card>
            </>
          )}
        </QueryState>
      </Stack>
    </>
  );
}

function Summary({ rows }: { rows: ReportRow[] }) {
  const { t, i18n } = useTranslation("portal");
  const totals = overallTotals(rows);
  const figures = [
    { label: t("report.closed"), value: formatNumber(totals.items, i18n.language), testId: "report-closed" },
    { label: t("report.met"), value: formatNumber(totals.met, i18n.language), testId: "report-met" },
    { label: t("report.breached"), value: formatNumber(totals.breached, i18n.language), testId: "report-breached" },
    {
      label: t("report.compliance"),
      value: formatPercent(totals.compliance, i18n.language),
      testId: "report-compliance",
    },
  ];
  return (
    <SimpleGrid cols={{ base: 2, lg: 4 }}>
      {figures.map((figure) => (
        <Card key={figure.testId} withBorder padding="md">
          <Text size="sm" c="dimmed" fw={500}>
            {figure.label}
          </Text>
          <Text fz={28} fw={700} data-testid={figure.testId}>
            {figure.value}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function ComplianceChart({ rows, month }: { rows: ReportRow[]; month: string }) {
  const { t, i18n } = useTranslation("portal");
  const serviceName = useServiceTypeNames();
  const series = complianceByService(rows);
  if (series.length === 0) {
    return (
      <Text c="dimmed" py="lg" ta="center" data-empty="true">
        {hasActivity(rows)
          ? t("report.nothingJudged")
          : t("report.noActivity", { month: monthLabel(month, i18n.language) })}
      </Text>
    );
  }
  const rtl = direction(isLanguage(i18n.language) ? i18n.language : "en") === "rtl";
  return (
    <BarChart
      h={240}
      data={series.map((entry) => ({ service: serviceName(entry.serviceType), compliance: entry.compliance }))}
      dataKey="service"
      series={[{ name: "compliance", label: t("report.compliance"), color: "teal.6" }]}
      valueFormatter={(value) => formatPercent(value, i18n.language)}
      // Right to left, the bars start at the right and the scale sits on the right.
      xAxisProps={{ reversed: rtl }}
      yAxisProps={{ domain: [0, 100], orientation: rtl ? "right" : "left" }}
      maxBarWidth={56}
      withBarValueLabel
      aria-label={t("report.chartTitle")}
      data-testid="report-chart"
    />
  );
}

function ReportTable({ rows, showTenant }: { rows: ReportRow[]; showTenant: boolean }) {
  const { t, i18n } = useTranslation("portal");
  const serviceName = useServiceTypeNames();
  const tenantName = useTenantNames();
  const minutes = (value: number | null) => (value === null ? "—" : formatMinutes(value, i18n.language));
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    // A table of figures has nothing to tab to: the region itself takes focus so arrow keys can scroll it.
    <Table.ScrollContainer
      minWidth={showTenant ? 900 : 760}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={t("report.tableLabel")}
    >
      <Table verticalSpacing="xs" striped={false} withRowBorders data-testid="report-table">
        <Table.Thead>
          <Table.Tr>
            {showTenant && <Table.Th rowSpan={2}>{t("report.tenant")}</Table.Th>}
            <Table.Th rowSpan={2}>{t("report.service")}</Table.Th>
            <Table.Th rowSpan={2}>{t("report.priority")}</Table.Th>
            <Table.Th rowSpan={2} ta="end">
              {t("report.closed")}
            </Table.Th>
            <Table.Th rowSpan={2} ta="end">
              {t("report.met")}
            </Table.Th>
            <Table.Th rowSpan={2} ta="end">
              {t("report.breached")}
            </Table.Th>
            <Table.Th rowSpan={2} ta="end">
              {t("report.compliance")}
            </Table.Th>
            <Table.Th colSpan={2} ta="center">
              {t("common:sla.firstResponse")}
            </Table.Th>
            <Table.Th colSpan={2} ta="center">
              {t("common:sla.resolution")}
            </Table.Th>
          </Table.Tr>
          <Table.Tr>
            <Table.Th ta="end">{t("report.median")}</Table.Th>
            <Table.Th ta="end">{t("report.p90")}</Table.Th>
            <Table.Th ta="end">{t("report.median")}</Table.Th>
            <Table.Th ta="end">{t("report.p90")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const totals = isTotalsRow(row);
            return (
              <Table.Tr
                key={`${row.tenant_id}/${row.service_type}/${row.priority}`}
                fw={totals ? 700 : undefined}
                bg={totals ? "var(--mantine-color-gray-0)" : undefined}
                data-totals={totals || undefined}
              >
                {showTenant && <Table.Td>{tenantName(row.tenant_id, row.tenant_slug)}</Table.Td>}
                <Table.Td>{totals ? t("report.allServices") : serviceName(row.service_type!)}</Table.Td>
                <Table.Td>{row.priority && <PriorityBadge priority={row.priority} />}</Table.Td>
                <Table.Td ta="end">{number(row.items)}</Table.Td>
                <Table.Td ta="end">{number(row.met)}</Table.Td>
                <Table.Td ta="end" c={row.breached > 0 ? "red" : undefined}>
                  {number(row.breached)}
                </Table.Td>
                <Table.Td ta="end">{formatPercent(row.compliance_percent, i18n.language)}</Table.Td>
                <Table.Td ta="end">{minutes(row.first_response_median_minutes)}</Table.Td>
                <Table.Td ta="end">{minutes(row.first_response_p90_minutes)}</Table.Td>
                <Table.Td ta="end">{minutes(row.resolution_median_minutes)}</Table.Td>
                <Table.Td ta="end">{minutes(row.resolution_p90_minutes)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
