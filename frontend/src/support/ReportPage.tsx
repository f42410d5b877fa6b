/**
 * One tenant's monthly support report: tickets in and solved, first response and resolution met
 * against breached, the customers' ratings (average and a 1–5 chart), the top tags, and the same
 * figures as a CSV file. The month lives in the address (`?month=2026-11`).
 */
import "./i18n";
import "@mantine/charts/styles.css";
import { BarChart } from "@mantine/charts";
import { Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import { ErrorAlert, QueryState } from "../components/QueryState";
import { direction, isLanguage } from "../i18n";
import { formatNumber } from "../lib/format";
import { formatPercent } from "../lib/percent";
import { saveFile } from "../lib/saveFile";
import { isMonth, latestMonth, monthLabel, monthsUpTo } from "../portal/months";
import { NS } from "./i18n";
import { NeedsTenant } from "./NeedsTenant";
import { type SupportScope, supportKey } from "./queries";
import { type ClockFigures, metPercent, ratingBars, type SupportReport, supportReportFileName } from "./report";

const MONTHS_OFFERED = 24;
type Scope = SupportScope & { tenantId: string };

export function Component() {
  return <NeedsTenant>{(scope) => <Report scope={scope} />}</NeedsTenant>;
}

function Report({ scope }: { scope: Scope }) {
  const { t, i18n } = useTranslation(NS);
  const latest = latestMonth([scope.zone]);
  const [params, setParams] = useSearchParams();
  const asked = params.get("month");
  const month = isMonth(asked) ? asked : latest;
  const months = monthsUpTo(latest, MONTHS_OFFERED);
  if (!months.includes(month)) months.push(month);

  const report = useQuery({
    queryKey: [...supportKey(scope.tenantId), "report", month],
    queryFn: () => unwrap(api.GET("/api/v1/support/reports", { params: { query: { month } }, ...scope.headers })),
  });
  const download = useMutation({
    mutationFn: async () => {
      const csv = await unwrap(
        api.GET("/api/v1/support/reports", { params: { query: { month, format: "csv" } }, parseAs: "blob", ...scope.headers }),
      );
      saveFile(csv as Blob, supportReportFileName(month));
    },
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Title order={3}>{t("report.title")}</Title>
        <Group gap="sm">
          <Select
            aria-label={t("report.month")}
            data={months.map((value) => ({ value, label: monthLabel(value, i18n.language) }))}
            value={month}
            onChange={(value) =>
              value &&
              setParams(
                (current) => {
                  const next = new URLSearchParams(current);
                  next.set("month", value);
                  return next;
                },
                { replace: true },
              )
            }
            allowDeselect={false}
            w={190}
            data-testid="support-report-month"
          />
          <Button
            variant="default"
            leftSection={<IconDownload size={18} />}
            loading={download.isPending}
            onClick={() => download.mutate()}
          >
            {t("report.download")}
          </Button>
        </Group>
      </Group>
      {download.error && <ErrorAlert error={download.error} onRetry={() => download.mutate()} />}
      <QueryState query={report}>{(data) => <Figures report={data} />}</QueryState>
    </Stack>
  );
}

function Figures({ report }: { report: SupportReport }) {
  const { t, i18n } = useTranslation(NS);
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <>
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }}>
        <Figure label={t("report.ticketsIn")} value={number(report.tickets_in)} testId="support-report-in" />
        <Figure label={t("report.ticketsSolved")} value={number(report.tickets_solved)} testId="support-report-solved" />
        <Clock label={t("report.firstResponse")} figures={report.first_response} testId="support-report-first-response" />
        <Clock label={t("report.resolution")} figures={report.resolution} testId="support-report-resolution" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Ratings report={report} />
        <TopTags report={report} />
      </SimpleGrid>
    </>
  );
}

function Figure({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={28} fw={700} data-testid={testId}>
        {value}
      </Text>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Card>
  );
}

function Clock({ label, figures, testId }: { label: string; figures: ClockFigures; testId: string }) {
  const { t, i18n } = useTranslation(NS);
  const share = metPercent(figures);
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Group gap="lg" mt={4}>
        <div>
          <Text fz={24} fw={700} c="teal.8" data-figure="met">
            {formatNumber(figures.met, i18n.language)}
          </Text>
          <Text size="xs" c="dimmed">
            {t("report.met")}
          </Text>
        </div>
        <div>
          <Text fz={24} fw={700} c={figures.breached ? "red.8" : undefined} data-figure="breached">
            {formatNumber(figures.breached, i18n.language)}
          </Text>
          <Text size="xs" c="dimmed">
            {t("report.breached")}
          </Text>
        </div>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {share === null ? t("report.noneJudged") : t("report.metShare", { percent: formatPercent(share, i18n.language, 0) })}
      </Text>
    </Card>
  );
}

function Ratings({ report }: { report: SupportReport }) {
  const { t, i18n } = useTranslation(NS);
  const number = (value: number) => formatNumber(value, i18n.language);
  const rtl = direction(isLanguage(i18n.language) ? i18n.language : "en") === "rtl";
  const bars = ratingBars(report.csat_distribution);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="csat-title">
      <Title order={4} id="csat-title" mb="xs">
        {t("report.csat")}
      </Title>
      <Group gap="xs" align="baseline" mb="sm">
        <Text fz={28} fw={700} data-testid="support-report-csat">
          {report.csat_average === null ? "—" : formatNumber(report.csat_average, i18n.language, 1)}
        </Text>
        <Text size="sm" c="dimmed">
          {t("report.csatAverage")} · {t("report.csatCount", { count: report.csat_count, n: number(report.csat_count) })}
        </Text>
      </Group>
      {report.csat_count === 0 ? (
        <Text c="dimmed" py="md" ta="center" size="sm">
          {t("report.noRatings")}
        </Text>
      ) : (
        <BarChart
          h={200}
          data={bars.map((bar) => ({ rating: t("report.stars", { rating: number(Number(bar.rating)) }), count: bar.count }))}
          dataKey="rating"
          series={[{ name: "count", label: t("report.ratings"), color: "yellow.6" }]}
          valueFormatter={number}
          xAxisProps={{ reversed: rtl }}
          yAxisProps={{ orientation: rtl ? "right" : "left", allowDecimals: false }}
          maxBarWidth={40}
          withBarValueLabel
          aria-label={t("report.distribution", { low: number(1), high: number(5) })}
          data-testid="support-report-chart"
        />
      )}
    </Card>
  );
}

function TopTags({ report }: { report: SupportReport }) {
  const { t, i18n } = useTranslation(NS);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="tags-title">
      <Title order={4} id="tags-title" mb="xs">
        {t("report.topTags")}
      </Title>
      {report.top_tags.length === 0 ? (
        <Text c="dimmed" py="md" ta="center" size="sm">
          {t("report.noTags")}
        </Text>
      ) : (
        <Table verticalSpacing={4} data-testid="support-report-tags">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("report.tag")}</Table.Th>
              <Table.Th ta="end">{t("report.count")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.top_tags.map((tag) => (
              <Table.Tr key={tag.tag}>
                <Table.Td>
                  <bdi>{tag.tag}</bdi>
                </Table.Td>
                <Table.Td ta="end">{formatNumber(tag.count, i18n.language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
