/**
 * The item's live SLA clock: a countdown to the due time it is racing (first response, then
 * resolution), paused with the reason while waiting on the client, red once overdue. It re-reads
 * the item it was given on a timer (every second in the last hour, else every minute) and never
 * asks the server; an action on the item refetches it and the clock follows.
 */
import { Group, Paper, Stack, Text, Title } from "@mantine/core";
import { IconClockHour4, IconClockPause } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { SlaBadge } from "../components/Badges";
import { formatDateTime, formatMinutes } from "../lib/format";
import type { WorkItem } from "./itemQueries";
import { type ClockReading, formatCountdown, readClock, tickInterval } from "./slaClock";

export function SlaClock({ item, zone }: { item: WorkItem; zone: string }) {
  const { t, i18n } = useTranslation("items");
  const [now, setNow] = useState(() => Date.now());
  const reading = readClock(item.sla, item.state, now);
  const running = reading.kind === "running";
  const wait = running ? tickInterval(reading.remainingMs) : null;

  useEffect(() => {
    if (wait === null) return;
    const timer = window.setTimeout(() => setNow(Date.now()), wait);
    return () => window.clearTimeout(timer);
  }, [now, wait]);

  const { policy, first_responded_at: respondedAt, breached_at: breachedAt } = item.sla;
  return (
    <Paper withBorder p="md" data-testid="sla-clock" data-clock={reading.kind}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h5">
            {t("clock.title")}
          </Title>
          {policy && <SlaBadge status={item.sla.status} paused={item.sla.paused} />}
        </Group>
        <Reading reading={reading} zone={zone} />
        {respondedAt && (
          <Text size="xs" c="dimmed">
            {t("clock.respondedAt", { time: formatDateTime(respondedAt, i18n.language, zone) })}
          </Text>
        )}
        {breachedAt && (
          <Text size="xs" c="red">
            {t("clock.breachedAt", { time: formatDateTime(breachedAt, i18n.language, zone) })}
          </Text>
        )}
        {policy && (
          <Text size="xs" c="dimmed">
            {t("clock.targets", {
              first: formatMinutes(policy.first_response_minutes, i18n.language),
              resolution: formatMinutes(policy.resolution_minutes, i18n.language),
            })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function Reading({ reading, zone }: { reading: ClockReading; zone: string }) {
  const { t, i18n } = useTranslation("items");
  const { t: tc } = useTranslation();
  switch (reading.kind) {
    case "not_started":
      return <Text size="sm">{t("clock.notStarted")}</Text>;
    case "stopped":
      return <Text size="sm">{t("clock.stopped")}</Text>;
    case "paused":
      return (
        <Stack gap={4}>
          <Group gap="xs" wrap="nowrap">
            <IconClockPause size={22} aria-hidden />
            <Text size="xl" fw={700}>
              {t("clock.paused")}
            </Text>
          </Group>
          <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {reading.reason ? (
              <>
                {t("clock.pausedReason")} <bdi>{reading.reason}</bdi>
              </>
            ) : (
              t("clock.pausedNoReason")
            )}
          </Text>
          {reading.businessMinutesLeft !== null && (
            <Text size="xs" c="dimmed">
              {t("clock.left", { time: formatMinutes(reading.businessMinutesLeft, i18n.language) })}
            </Text>
          )}
        </Stack>
      );
    case "running": {
      const time = formatCountdown(reading.remainingMs, i18n.language);
      return (
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {t(`clock.phase.${reading.phase}`)}
          </Text>
          {/* role=timer is not announced on every tick, which would drown a screen reader. */}
          <Group gap="xs" wrap="nowrap" role="timer">
            <IconClockHour4 size={22} aria-hidden color={reading.overdue ? "var(--mantine-color-red-6)" : undefined} />
            <Text size="xl" fw={700} c={reading.overdue ? "red" : undefined} data-overdue={reading.overdue}>
              {reading.overdue ? tc("sla.overdueBy", { time }) : tc("sla.dueIn", { time })}
            </Text>
          </Group>
          <Text size="xs" c="dimmed">
            {t("clock.dueAt", { time: formatDateTime(reading.dueAt, i18n.language, zone) })}
          </Text>
        </Stack>
      );
    }
  }
}
