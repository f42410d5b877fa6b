/**
 * The payroll schedule: the day of each month the client's draft payroll run is prepared on its own
 * (in the tenant's time zone; 29 to 31 mean the month's last day when it is shorter). The run then
 * waits for the checker like one prepared by hand. Read and set by the client admin and hr staff.
 */
import { Button, Card, Group, NumberInput, Switch, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { QueryState } from "../../components/QueryState";
import { formatDate, formatNumber } from "../../lib/format";
import type { HrScope } from "../queries";
import { NS } from "./i18n";
import { ProblemAlert } from "./ProblemAlert";
import { usePayrollWrite, useSchedule } from "./queries";

const FIRST_DAY = 1;
const LAST_DAY = 31;
const DEFAULT_DAY = 25;

export function ScheduleCard({ scope }: { scope: HrScope }) {
  const { t } = useTranslation(NS);
  const schedule = useSchedule(scope);
  return (
    <Card withBorder data-testid="payroll-schedule">
      <Title order={4} mb="xs">
        {t("schedule.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("schedule.intro")}
      </Text>
      <QueryState query={schedule}>{/* Keyed on what the server says: after a save (or another person's change read again) the form starts from it. */}
        {(data) => <ScheduleForm key={`${data.day}-${data.enabled}`} scope={scope} shown={data} />}</QueryState>
    </Card>
  );
}

type Shown = { day: number | null; enabled: boolean; last_period: string | null; next_date: string | null };

function ScheduleForm({ scope, shown }: { scope: HrScope; shown: Shown }) {
  const { t, i18n } = useTranslation(NS);
  const [day, setDay] = useState<number | string>(shown.day ?? DEFAULT_DAY);
  const [enabled, setEnabled] = useState(shown.day === null ? true : shown.enabled);
  const save = usePayrollWrite(scope, (body: { day: number; enabled: boolean }) =>
    unwrap(api.PUT("/api/v1/hr/payroll-schedule", { body, ...scope.headers })),
  );
  const validDay = typeof day === "number" && Number.isInteger(day) && day >= FIRST_DAY && day <= LAST_DAY;
  // A date without a time: shown as that calendar day, whatever the reader's own time zone.
  const next = shown.next_date ? formatDate(shown.next_date, i18n.language, "UTC") : null;
  const dayText = formatNumber(shown.day, i18n.language);
  let status: string;
  if (shown.day === null) status = t("schedule.none");
  else if (!shown.enabled) status = t("schedule.off", { day: dayText });
  else status = t("schedule.on", { day: dayText, next });
  return (
    <>
      <Text size="sm" mb="sm" data-testid="payroll-schedule-status">
        {status}
      </Text>
      <Group align="flex-end">
        <NumberInput
          label={t("schedule.day")}
          description={t("schedule.dayHelp")}
          min={FIRST_DAY}
          max={LAST_DAY}
          allowDecimal={false}
          value={day}
          onChange={(value) => setDay(typeof value === "bigint" ? Number(value) : value)}
          error={validDay ? undefined : t("schedule.dayInvalid")}
          w={220}
          data-testid="payroll-schedule-day"
        />
        <Switch
          label={t("schedule.enabled")}
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
          mb={8}
          data-testid="payroll-schedule-enabled"
        />
        <Button
          disabled={!validDay}
          loading={save.isPending}
          onClick={() =>
            save.mutate(
              { day: day as number, enabled },
              { onSuccess: () => notifications.show({ color: "green", message: t("schedule.saved") }) },
            )
          }
          data-testid="payroll-schedule-save"
        >
          {t("schedule.save")}
        </Button>
      </Group>
      <ProblemAlert error={save.error} onClose={save.reset} />
    </>
  );
}
