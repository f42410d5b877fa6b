/**
 * The client's dashboard: open requests by state, how many are at risk or breached, this month's
 * SLA compliance, and the requests due soonest.
 *
 * It needs two requests in the usual case, sent together: one page of open items (every count and
 * the soonest-due list come from it) and this month's report. Only a tenant with more open items
 * than a page asks for the counts separately (see openItems.ts).
 */
import { Anchor, Button, Card, Grid, Group, SimpleGrid, Skeleton, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconClockExclamation, IconFilePlus, IconInbox, IconRosetteDiscountCheck } from "@tabler/icons-react";
import { useQueries, useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, type Schemas, unwrap } from "../api/client";
import type { operations } from "../api/schema";
import { StateBadge } from "../components/Badges";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { CountStat, StatCard } from "../components/StatCard";
import { ItemTable } from "../items/ItemTable";
import { formatNumber } from "../lib/format";
import { formatPercent } from "../lib/percent";
import {
  ALERT_STATUSES,
  countOpenItems,
  countsFromTotals,
  isWholeList,
  OPEN_PAGE_SIZE,
  OPEN_STATES,
  type OpenCounts,
  stateSlices,
} from "./openItems";
import { overallTotals } from "./report";

const StateDonut = lazy(() => import("./StateDonut"));

const URGENT_COUNT = 5;

type ItemQuery = NonNullable<operations["ApiV1WorkItemsListItems"]["parameters"]["query"]>;

function countQuery(query: ItemQuery) {
  return {
    queryKey: ["work-items", "count", query],
    queryFn: () => unwrap(api.GET("/api/v1/work-items", { params: { query: { ...query, limit: 1 } } })),
    select: (page: { total?: number }) => page.total ?? 0,
  };
}

/** The open items (soonest due first) and their counts, exact however many there are. */
function useOpenItems() {
  const page = useQuery({
    queryKey: ["work-items", "dashboard", "open"],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/work-items", {
          params: { query: { state: [...OPEN_STATES], sort: "due_at", limit: OPEN_PAGE_SIZE } },
        }),
      ),
  });
  const needsTotals = page.data !== undefined && !isWholeList(page.data);
  const totals = useQueries({
    queries: needsTotals
      ? [
          ...OPEN_STATES.map((state) => countQuery({ state: [state] })),
          ...ALERT_STATUSES.map((status) => countQuery({ state: [...OPEN_STATES], sla_status: status })),
        ]
      : [],
  });
  const totalsError = totals.find((query) => query.error)?.error;
  let counts: OpenCounts | undefined;
  if (page.data && !needsTotals) counts = countOpenItems(page.data.items ?? []);
  if (page.data && needsTotals) {
    const values = totals.map((query) => query.data);
    counts =
      countsFromTotals(page.data.total ?? 0, values.slice(0, OPEN_STATES.length), values.slice(OPEN_STATES.length)) ??
      undefined;
  }
  const error = page.error ?? totalsError ?? null;
  return {
    page,
    counts: {
      data: counts,
      error,
      isPending: !counts && !error,
      refetch: () => Promise.all([page.refetch(), ...totals.map((query) => query.refetch())]),
    },
  };
}

export function Component() {
  const { t } = useTranslation("portal");
  const { page, counts } = useOpenItems();
  const report = useQuery({
    queryKey: ["sla-report", "current"],
    queryFn: () => unwrap(api.GET("/api/v1/sla/reports")),
  });

  return (
    <>
      <PageHeader title={t("dashboard.title")}>
        <Button component={Link} to="/portal/items/new" leftSection={<IconFilePlus size={18} />}>
          {t("dashboard.newRequest")}
        </Button>
      </PageHeader>
      <Stack gap="md">
        <Grid>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <SimpleGrid cols={{ base: 1, xs: 2 }} h="100%">
              <CountStat
                label={t("dashboard.open")}
                icon={<IconInbox size={20} />}
                color="indigo"
                testId="dashboard-open-count"
                query={counts}
                pick={(c) => c.total}
              />
              <CountStat
                label={t("dashboard.atRisk")}
                icon={<IconClockExclamation size={20} />}
                color="orange"
                alarm
                testId="dashboard-at-risk-count"
                query={counts}
                pick={(c) => c.bySla.warning}
              />
              <CountStat
                label={t("dashboard.breached")}
                icon={<IconAlertTriangle size={20} />}
                color="red"
                alarm
                testId="dashboard-breached-count"
                query={counts}
                pick={(c) => c.bySla.breached}
              />
              <ComplianceCard report={report} />
            </SimpleGrid>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <ByStateCard counts={counts} />
          </Grid.Col>
        </Grid>
        <Card withBorder padding="md" data-testid="dashboard-urgent-items">
          <Group justify="space-between" mb="sm">
            <Title order={3} size="h4">
              {t("dashboard.dueSoonest")}
            </Title>
            <Anchor component={Link} to="/portal/items" size="sm">
              {t("dashboard.allRequests")}
            </Anchor>
          </Group>
          <QueryState query={page}>
            {(data) => <ItemTable items={(data.items ?? []).slice(0, URGENT_COUNT)} linkBase="/portal/items" />}
          </QueryState>
        </Card>
      </Stack>
    </>
  );
}

function ComplianceCard({ report }: { report: ReturnType<typeof useQuery<Schemas["SlaReport"]>> }) {
  const { t, i18n } = useTranslation("portal");
  return (
    <StatCard label={t("dashboard.compliance")} icon={<IconRosetteDiscountCheck size={20} />} color="teal">
      <QueryState query={report}>
        {(data) => {
          const totals = overallTotals(data.rows);
          return (
            <Stack gap={4}>
              <Text fz={30} fw={700} lh={1.2} data-testid="dashboard-compliance">
                {formatPercent(totals.compliance, i18n.language)}
              </Text>
              <Text size="xs" c="dimmed">
                {totals.compliance === null
                  ? t("dashboard.nothingClosed")
                  : t("dashboard.complianceDetail", {
                      met: formatNumber(totals.met, i18n.language),
                      breached: formatNumber(totals.breached, i18n.language),
                    })}
              </Text>
              <Anchor component={Link} to="/portal/reports" size="xs">
                {t("dashboard.seeReport")}
              </Anchor>
            </Stack>
          );
        }}
      </QueryState>
    </StatCard>
  );
}

function ByStateCard({ counts }: { counts: ReturnType<typeof useOpenItems>["counts"] }) {
  const { t, i18n } = useTranslation("portal");
  return (
    <Card withBorder padding="md" h="100%" data-testid="dashboard-by-state">
      <Title order={3} size="h4" mb="sm">
        {t("dashboard.byState")}
      </Title>
      <QueryState
        query={counts}
        empty={(data) => data.total === 0}
        emptyText={
          <Stack align="center" gap="sm" component="span">
            <span>{t("dashboard.noOpenItems")}</span>
            <Button component={Link} to="/portal/items/new" variant="light" size="xs">
              {t("dashboard.newRequest")}
            </Button>
          </Stack>
        }
      >
        {(data) => (
          <Group justify="space-around" align="center" gap="lg">
            <Suspense fallback={<Skeleton circle height={160} />}>
              <StateDonut slices={stateSlices(data)} total={data.total} />
            </Suspense>
            <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: "none" }}>
              {OPEN_STATES.map((state) => (
                <Group key={state} component="li" justify="space-between" gap="lg" wrap="nowrap">
                  <StateBadge state={state} />
                  <Text fw={600} data-testid={`dashboard-state-${state}`}>
                    {formatNumber(data.byState[state], i18n.language)}
                  </Text>
                </Group>
              ))}
            </Stack>
          </Group>
        )}
      </QueryState>
    </Card>
  );
}
