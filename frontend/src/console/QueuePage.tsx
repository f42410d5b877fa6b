/**
 * The agent's home: "Claim next" takes the most urgent item the agent may do and opens it. Beside it,
 * the queue's counts, the agent's own open items, and the queue per tenant and service type.
 *
 * Shift+C claims from anywhere on the page except while typing (Mantine's useHotkeys ignores inputs).
 * It matches the physical key, so it works on an Arabic keyboard layout too.
 */
import { Button, Card, Grid, Group, Kbd, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconHandGrab, IconInfoCircle } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, type Schemas, unwrap } from "../api/client";
import { PageHeader } from "../components/PageHeader";
import { ErrorAlert, QueryState } from "../components/QueryState";
import { CountStat } from "../components/StatCard";
import { ItemTable } from "../items/ItemTable";
import { useServiceTypeNames } from "../items/serviceTypes";
import { formatNumber } from "../lib/format";
import { QUEUE_STATES, queueLines } from "./queueCounts";
import { useQueueSummary } from "./queueSummary";
import { useTenantNames } from "../lib/tenants";

const CLAIM_HOTKEY = "shift+C";
const MY_STATES: Schemas["WorkState"][] = ["in_progress", "waiting_on_client", "in_review"];

export function Component() {
  const { t } = useTranslation("console");
  return (
    <>
      <PageHeader title={t("queue.title")} />
      <Stack gap="md">
        <Grid>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <ClaimCard />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <QueueCounts />
          </Grid.Col>
        </Grid>
        <MyItems />
        <QueueTable />
      </Stack>
    </>
  );
}

function ClaimCard() {
  const { t } = useTranslation("console");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const claim = useMutation({
    // 200 with the item, or 204 (no body) when there is nothing this agent may take.
    mutationFn: (): Promise<Schemas["WorkItemOut"] | undefined> => unwrap(api.POST("/api/v1/queue/claim")),
    onSuccess: (item) => {
      void queryClient.invalidateQueries({ queryKey: ["queue"] });
      if (!item) {
        notifications.show({
          color: "blue",
          title: t("claim.nothing"),
          message: t("claim.nothingWhy"),
          icon: <IconInfoCircle size={18} />,
        });
        return;
      }
      void queryClient.invalidateQueries({ queryKey: ["work-items"] });
      void navigate(`/console/items/${item.id}`);
    },
  });
  const claimNext = () => {
    if (!claim.isPending) claim.mutate();
  };
  useHotkeys([[CLAIM_HOTKEY, claimNext, { usePhysicalKeys: true }]]);

  return (
    <Card withBorder padding="lg" h="100%">
      <Stack gap="sm" justify="center" h="100%">
        <Button
          size="xl"
          fullWidth
          leftSection={<IconHandGrab size={24} />}
          rightSection={
            <Group gap={4} wrap="nowrap" aria-hidden visibleFrom="xs">
              <Kbd>Shift</Kbd>
              <Kbd>C</Kbd>
            </Group>
          }
          justify="space-between"
          loading={claim.isPending}
          onClick={claimNext}
          aria-keyshortcuts="Shift+C"
          data-testid="claim-next"
        >
          {t("claim.button")}
        </Button>
        <Text size="sm" c="dimmed">
          {t("claim.help")}
        </Text>
        {claim.error && <ErrorAlert error={claim.error} onRetry={claimNext} />}
      </Stack>
    </Card>
  );
}

function QueueCounts() {
  const { t } = useTranslation("console");
  const summary = useQueueSummary();
  type Summary = Schemas["QueueSummary"];
  const figures = [
    { key: "queued", label: t("queue.queued"), color: "blue", alarm: false, pick: (s: Summary) => s.queued },
    { key: "in-progress", label: t("queue.inProgress"), color: "indigo", alarm: false, pick: (s: Summary) => s.in_progress },
    { key: "at-risk", label: t("queue.atRisk"), color: "orange", alarm: true, pick: (s: Summary) => s.at_risk },
    { key: "breached", label: t("queue.breached"), color: "red", alarm: true, pick: (s: Summary) => s.breached },
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} h="100%">
      {figures.map((figure) => (
        <CountStat
          key={figure.key}
          label={figure.label}
          color={figure.color}
          alarm={figure.alarm}
          query={summary}
          pick={figure.pick}
          testId={`queue-${figure.key}-count`}
        />
      ))}
    </SimpleGrid>
  );
}

function MyItems() {
  const { t } = useTranslation("console");
  const mine = useQuery({
    queryKey: ["work-items", "mine"],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/work-items", {
          params: { query: { assignee: "me", state: MY_STATES, sort: "due_at", limit: 100 } },
        }),
      ),
  });
  return (
    <Card withBorder padding="md" data-testid="my-items">
      <Title order={3} size="h4" mb="sm">
        {t("queue.myItems")}
      </Title>
      <QueryState query={mine} empty={(data) => !data.items?.length} emptyText={t("queue.noItems")}>
        {(data) => <ItemTable items={data.items ?? []} linkBase="/console/items" showTenant />}
      </QueryState>
    </Card>
  );
}

function QueueTable() {
  const { t, i18n } = useTranslation("console");
  const summary = useQueueSummary();
  const serviceName = useServiceTypeNames();
  const tenantName = useTenantNames();
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <Card withBorder padding="md">
      <Title order={3} size="h4" mb="sm">
        {t("queue.byTenant")}
      </Title>
      <QueryState query={summary} empty={(data) => data.counts.length === 0} emptyText={t("queue.empty")}>
        {(data) => (
          // Figures only, nothing to tab to: the region takes focus so arrow keys can scroll it.
          <Table.ScrollContainer minWidth={720} type="native" tabIndex={0} role="region" aria-label={t("queue.byTenant")}>
            <Table verticalSpacing="xs" data-testid="queue-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("queue.tenant")}</Table.Th>
                  <Table.Th>{t("queue.service")}</Table.Th>
                  {QUEUE_STATES.map((state) => (
                    <Table.Th key={state} ta="end">
                      {t(`state.${state}`)}
                    </Table.Th>
                  ))}
                  <Table.Th ta="end">{t("queue.atRisk")}</Table.Th>
                  <Table.Th ta="end">{t("queue.breached")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {queueLines(data.counts).map((line) => (
                  <Table.Tr key={`${line.tenantId}/${line.serviceType}`}>
                    <Table.Td>{tenantName(line.tenantId, line.tenantSlug)}</Table.Td>
                    <Table.Td>{serviceName(line.serviceType)}</Table.Td>
                    {QUEUE_STATES.map((state) => (
                      <Table.Td key={state} ta="end">
                        {number(line.byState[state])}
                      </Table.Td>
                    ))}
                    <Table.Td ta="end" c={line.atRisk ? "orange" : undefined} fw={line.atRisk ? 600 : undefined}>
                      {number(line.atRisk)}
                    </Table.Td>
                    <Table.Td ta="end" c={line.breached ? "red" : undefined} fw={line.breached ? 600 : undefined}>
                      {number(line.breached)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
