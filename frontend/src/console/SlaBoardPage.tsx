/**
 * The SLA board: warnings and breaches across the caller's tenants, newest first. It refreshes
 * itself every few seconds (and when the window regains focus); rows that arrive while it is open
 * are marked for a moment and announced to screen readers.
 */
import { Anchor, Badge, Card, Group, Loader, SegmentedControl, SimpleGrid, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { IconAlertTriangle, IconClockExclamation } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, type Schemas, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { CountStat } from "../components/StatCard";
import { formatDateTime, formatNumber, localeOf } from "../lib/format";
import { useTenantNames, useTenantZone } from "../lib/tenants";
import { FreshRows } from "./freshRows";
import { useQueueSummary } from "./queueSummary";

type SlaEvent = Schemas["SlaEventOut"];
type Kind = "all" | "warning" | "breach";

const REFRESH_MS = 10_000;
const HIGHLIGHT_MS = 6_000;
const PAGE_SIZE = 100;

export function Component() {
  const { t } = useTranslation("console");
  const [kind, setKind] = useState<Kind>("all");
  return (
    <>
      <PageHeader title={t("board.title")}>
        <SegmentedControl
          value={kind}
          onChange={(value) => setKind(value as Kind)}
          data={[
            { value: "all", label: t("board.all") },
            { value: "warning", label: t("board.warnings") },
            { value: "breach", label: t("board.breaches") },
          ]}
          aria-label={t("board.filter")}
          data-testid="sla-board-filter"
        />
      </PageHeader>
      <Stack gap="md">
        <Summary />
        {/* A new filter is a new list: what counts as "new" starts again from what it first shows. */}
        <EventList key={kind} kind={kind} />
      </Stack>
    </>
  );
}

function Summary() {
  const { t } = useTranslation("console");
  const summary = useQueueSummary();
  return (
    <SimpleGrid cols={{ base: 2 }} maw={560}>
      <CountStat
        label={t("board.breachedNow")}
        icon={<IconAlertTriangle size={20} />}
        color="red"
        alarm
        query={summary}
        pick={(data) => data.breached}
        testId="sla-board-breached-count"
      />
      <CountStat
        label={t("board.atRiskNow")}
        icon={<IconClockExclamation size={20} />}
        color="orange"
        alarm
        query={summary}
        pick={(data) => data.at_risk}
        testId="sla-board-at-risk-count"
      />
    </SimpleGrid>
  );
}

/**
 * Ids of rows that arrived since the list was first shown, each marked for HIGHLIGHT_MS. Query data
 * keeps its identity when a refetch brings nothing new, so an unchanged list is no change here.
 */
function useFreshRows(rows: { id: string }[] | undefined): Set<string> {
  const tracker = useRef(new FreshRows());
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (!rows) return;
    const arrived = tracker.current.arrived(rows.map((row) => row.id));
    if (arrived.size === 0) return;
    setFresh(arrived);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setFresh(new Set()), HIGHLIGHT_MS);
  }, [rows]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return fresh;
}

function EventList({ kind }: { kind: Kind }) {
  const { t, i18n } = useTranslation("console");
  const events = useQuery({
    queryKey: ["sla-events", kind],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/sla/events", {
          params: { query: { kind: kind === "all" ? null : kind, limit: PAGE_SIZE } },
        }),
      ),
    refetchInterval: REFRESH_MS,
    refetchOnWindowFocus: true,
  });
  const fresh = useFreshRows(events.data?.items);
  const updated = events.dataUpdatedAt
    ? new Intl.DateTimeFormat(localeOf(i18n.language), { timeStyle: "medium" }).format(events.dataUpdatedAt)
    : null;
  const total = events.data?.total ?? 0;
  const shown = events.data?.items?.length ?? 0;

  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="sm" gap="xs">
        <Text size="sm" c="dimmed">
          {shown < total
            ? t("board.showingLatest", {
                shown: formatNumber(shown, i18n.language),
                total: formatNumber(total, i18n.language),
              })
            : null}
        </Text>
        <Group gap="xs" wrap="nowrap">
          {events.isFetching && <Loader size={14} aria-hidden />}
          {updated && (
            <Text size="xs" c="dimmed" data-testid="sla-board-updated">
              {t("board.updated", { time: updated })}
            </Text>
          )}
        </Group>
      </Group>
      <VisuallyHidden aria-live="polite">{fresh.size > 0 ? t("board.arrived", { count: fresh.size }) : ""}</VisuallyHidden>
      <QueryState query={events} empty={(data) => !data.items?.length} emptyText={t(`board.empty.${kind}`)}>
        {(data) => (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" highlightOnHover data-testid="sla-board-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("board.kind")}</Table.Th>
                  <Table.Th>{t("board.clock")}</Table.Th>
                  <Table.Th>{t("board.item")}</Table.Th>
                  <Table.Th>{t("board.tenant")}</Table.Th>
                  <Table.Th>{t("board.threshold")}</Table.Th>
                  <Table.Th>{t("board.recorded")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(data.items ?? []).map((event) => (
                  <EventRow key={event.id} event={event} fresh={fresh.has(event.id)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}

// A badge's label may be cut with an ellipsis; in a squeezed table column it must keep its whole word.
const WHOLE_LABEL = { label: { overflow: "visible" } } as const;

const CLOCK_KEYS: Record<string, string> = { first_response: "common:sla.firstResponse", resolution: "common:sla.resolution" };

function EventRow({ event, fresh }: { event: SlaEvent; fresh: boolean }) {
  const { t, i18n } = useTranslation("console");
  const me = useMe();
  const zone = useTenantZone(event.tenant_id);
  const tenantName = useTenantNames();
  const breach = event.kind === "breach";
  return (
    <Table.Tr
      data-testid="sla-event-row"
      data-kind={event.kind}
      data-fresh={fresh || undefined}
      style={{
        transition: "background-color 1.5s ease",
        backgroundColor: fresh ? "var(--mantine-color-yellow-1)" : undefined,
      }}
    >
      <Table.Td>
        <Badge color={breach ? "red" : "orange"} variant={breach ? "filled" : "light"} styles={WHOLE_LABEL}>
          {breach ? t("board.breach") : t("board.warning")}
        </Badge>
      </Table.Td>
      <Table.Td>{CLOCK_KEYS[event.clock] ? t(CLOCK_KEYS[event.clock]) : event.clock}</Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <Anchor component={Link} to={`/console/items/${event.work_item_id}`} fw={500} lineClamp={2}>
            {event.work_item_title}
          </Anchor>
          {event.assignee_id === me.id && (
            <Badge size="xs" variant="outline" styles={WHOLE_LABEL}>
              {t("board.yours")}
            </Badge>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>{tenantName(event.tenant_id)}</Table.Td>
      <Table.Td>
        {/* A breach's due_at is the clock's due time; a warning's is the moment the warning was due. */}
        <Text size="sm">
          {t(breach ? "board.dueAt" : "board.warnAt", { time: formatDateTime(event.due_at, i18n.language, zone) })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {formatDateTime(event.recorded_at, i18n.language, zone)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
