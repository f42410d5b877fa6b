/**
 * /console/calendars: the business hours a tenant's SLA clocks run on. Pick a tenant, then edit its
 * weekly hours (split shifts allowed), its own holidays and the country whose public holidays it
 * keeps. Times are the tenant's local time. The rules are checked as you type (weeklyHours.ts) and
 * again by the server, whose words are shown next to the day or field they are about.
 */
import { ActionIcon, Alert, Button, Card, Group, Pill, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconClockHour4, IconInfoCircle, IconPlus, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api, forTenant, type Schemas, unwrap } from "../api/client";
import { QueryState } from "../components/QueryState";
import { PageHeader } from "../components/PageHeader";
import { formatDate, formatMinutes, localeOf } from "../lib/format";
import { useTenants } from "../lib/tenants";
import { ConfirmModal } from "./dialogs";
import { FormAlert } from "./FormAlert";
import { formProblems } from "./problems";
import {
  type CalendarField,
  checkWeek,
  dayMinutes,
  draftFromWeeklyHours,
  formatPeriod,
  isPeriod,
  parsePeriod,
  placeCalendarProblem,
  roundTheClock,
  suggestPeriod,
  type WeekDraft,
  type Weekday,
  WEEKDAYS,
  weeklyHoursFromDraft,
} from "./weeklyHours";

type Calendar = Schemas["CalendarOut"];

const COUNTRY_PATTERN = /^[A-Z]{2}$/;

export function Component() {
  const { t } = useTranslation("admin");
  const tenants = useTenants();
  const [searchParams, setSearchParams] = useSearchParams();
  const tenantId = searchParams.get("tenant");
  const calendar = useQuery({
    queryKey: ["sla-calendar", tenantId],
    queryFn: () => unwrap(api.GET("/api/v1/sla/calendar", forTenant(tenantId))),
    enabled: !!tenantId,
  });

  return (
    <>
      <PageHeader title={t("calendar.title")} />
      <Text c="dimmed" size="sm" mb="md">
        {t("calendar.intro")}
      </Text>
      <Select
        label={t("calendar.tenant")}
        placeholder={t("calendar.chooseTenant")}
        searchable
        nothingFoundMessage={t("nothingFound")}
        value={tenantId}
        onChange={(value) => setSearchParams(value ? { tenant: value } : {})}
        data={(tenants.data?.items ?? []).map((tenant) => ({ value: tenant.id, label: tenant.name }))}
        disabled={tenants.isPending}
        error={tenants.error ? t("calendar.tenantsUnavailable") : undefined}
        w={360}
        maw="100%"
        mb="lg"
      />
      {!tenantId ? (
        <Text c="dimmed" ta="center" py="xl" data-empty="true">
          {t("calendar.noTenant")}
        </Text>
      ) : (
        <QueryState query={calendar}>
          {(data) => (
            <CalendarEditor key={`${tenantId}:${calendar.dataUpdatedAt}`} tenantId={tenantId} calendar={data} />
          )}
        </QueryState>
      )}
    </>
  );
}

/** The server's words, by the part of the form they are about (null: the whole form). */
function placeServerProblems(error: unknown): Map<CalendarField | null, string[]> {
  const placed = new Map<CalendarField | null, string[]>();
  for (const message of formProblems(error, []).others) {
    const { field, text } = placeCalendarProblem(message);
    placed.set(field, [...(placed.get(field) ?? []), text]);
  }
  return placed;
}

function CalendarEditor({ tenantId, calendar }: { tenantId: string; calendar: Calendar }) {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const initial = {
    week: draftFromWeeklyHours(calendar.weekly_hours),
    holidays: calendar.holidays,
    country: calendar.holiday_country ?? "",
  };
  const [week, setWeek] = useState<WeekDraft>(initial.week);
  const [holidays, setHolidays] = useState<string[]>(initial.holidays);
  const [country, setCountry] = useState(initial.country);
  const [submitted, setSubmitted] = useState(false);
  const [confirmingReset, setConfirmingReset] = useState(false);
  const check = checkWeek(week);
  const countryInvalid = country !== "" && !COUNTRY_PATTERN.test(country);
  const dirty = JSON.stringify({ week, holidays, country }) !== JSON.stringify(initial);

  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT("/api/v1/sla/calendar", {
          ...forTenant(tenantId),
          body: { weekly_hours: weeklyHoursFromDraft(week), holidays, holiday_country: country || null },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(["sla-calendar", tenantId], saved);
      notifications.show({ color: "teal", message: t("calendar.savedNotice") });
    },
  });
  const serverProblems = placeServerProblems(save.error);

  // No calendar at all is what "round the clock" means to the clocks (and what a new tenant has).
  async function resetToRoundTheClock() {
    await unwrap(api.DELETE("/api/v1/sla/calendar", forTenant(tenantId)));
    queryClient.setQueryData(["sla-calendar", tenantId], {
      ...calendar,
      weekly_hours: null,
      holidays: [],
      holiday_country: null,
    });
    notifications.show({ color: "teal", message: t("calendar.resetNotice") });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (check.valid && !countryInvalid) save.mutate();
  }

  function reset() {
    setWeek(initial.week);
    setHolidays(initial.holidays);
    setCountry(initial.country);
    setSubmitted(false);
    save.reset();
  }

  const setDay = (day: Weekday, periods: string[]) => setWeek((current) => ({ ...current, [day]: periods }));
  const weekProblem =
    (submitted && check.noHours ? t("calendar.noHours") : null) ?? serverProblems.get("weekly_hours")?.join(" · ");

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {calendar.weekly_hours === null && (
          <Alert color="blue" icon={<IconInfoCircle size={18} />}>
            {t("calendar.roundTheClockNow")}
          </Alert>
        )}
        <FormAlert error={save.error} problems={{ fields: {}, others: serverProblems.get(null) ?? [] }} />

        <Card withBorder padding="md">
          <Group justify="space-between" mb="sm" wrap="wrap">
            <div>
              <Title order={3} size="h4">
                {t("calendar.weeklyHours")}
              </Title>
              <Text size="sm" c="dimmed">
                {t("calendar.localTime", { zone: calendar.timezone })}
              </Text>
            </div>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconClockHour4 size={16} />}
              onClick={() => setWeek(roundTheClock())}
            >
              {t("calendar.roundTheClock")}
            </Button>
          </Group>
          <Stack gap={0}>
            {WEEKDAYS.map((day) => (
              <DayRow
                key={day}
                day={day}
                periods={week[day]}
                problems={check.byDay[day]}
                serverProblem={serverProblems.get(day)?.join(" · ")}
                onChange={(periods) => setDay(day, periods)}
              />
            ))}
          </Stack>
          {weekProblem && (
            <Text c="red" size="sm" mt="sm" role="alert">
              {weekProblem}
            </Text>
          )}
        </Card>

        <Card withBorder padding="md">
          <Title order={3} size="h4" mb="sm">
            {t("calendar.holidays")}
          </Title>
          <Stack>
            <HolidayList
              holidays={holidays}
              onChange={setHolidays}
              serverProblem={serverProblems.get("holidays")?.join(" · ")}
            />
            <CountryInput
              value={country}
              onChange={setCountry}
              error={
                (submitted && countryInvalid ? t("calendar.countryInvalid") : undefined) ??
                serverProblems.get("holiday_country")?.join(" · ")
              }
            />
          </Stack>
        </Card>

        <Group justify="flex-end">
          {calendar.weekly_hours !== null && (
            <Button variant="subtle" color="red" me="auto" onClick={() => setConfirmingReset(true)}>
              {t("calendar.reset")}
            </Button>
          )}
          <Button variant="default" onClick={reset} disabled={!dirty || save.isPending}>
            {t("calendar.discard")}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!dirty}>
            {t("calendar.save")}
          </Button>
        </Group>
      </Stack>
      <ConfirmModal
        opened={confirmingReset}
        onClose={() => setConfirmingReset(false)}
        title={t("calendar.resetTitle")}
        confirmLabel={t("calendar.reset")}
        color="red"
        onConfirm={resetToRoundTheClock}
      >
        {t("calendar.resetText")}
      </ConfirmModal>
    </form>
  );
}

/** The weekday's name in the reader's language (1 January 2024 was a Monday). */
function weekdayName(day: Weekday, language: string): string {
  const date = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));
  return new Intl.DateTimeFormat(localeOf(language), { weekday: "long", timeZone: "UTC" }).format(date);
}

interface DayRowProps {
  day: Weekday;
  periods: string[];
  problems: (string | null)[];
  serverProblem?: string;
  onChange: (periods: string[]) => void;
}

function DayRow({ day, periods, problems, serverProblem, onChange }: DayRowProps) {
  const { t, i18n } = useTranslation("admin");
  const name = weekdayName(day, i18n.language);
  const minutes = dayMinutes(periods);
  const messages = [...new Set(problems.filter((problem) => problem !== null))].map((problem) =>
    t(`calendar.problem.${problem}`),
  );
  if (serverProblem) messages.push(serverProblem);
  const setPeriod = (index: number, text: string) =>
    onChange(periods.map((current, at) => (at === index ? text : current)));

  return (
    <Stack gap={4} py="xs" style={{ borderBlockEnd: "1px solid var(--mantine-color-default-border)" }} data-day={day}>
      <Group gap="sm" wrap="wrap" align="center">
        <Text fw={500} w={110} size="sm">
          {name}
        </Text>
        <Group gap="xs" wrap="wrap" style={{ flex: 1 }}>
          {periods.length === 0 && (
            <Text size="sm" c="dimmed">
              {t("calendar.closed")}
            </Text>
          )}
          {periods.map((period, index) => (
            <Group key={index} gap={2} wrap="nowrap">
              <TextInput
                aria-label={t("calendar.periodLabel", { day: name, number: index + 1 })}
                aria-invalid={problems[index] !== null}
                placeholder="HH:MM-HH:MM"
                dir="ltr"
                size="xs"
                w={118}
                maxLength={13}
                value={period}
                onChange={(event) => setPeriod(index, event.currentTarget.value)}
                // "9:00 - 17:00" is fine to type; once it is left, show it the way the server stores it.
                onBlur={() => {
                  const parsed = parsePeriod(period);
                  if (isPeriod(parsed)) setPeriod(index, formatPeriod(parsed));
                }}
                error={problems[index] !== null}
              />
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                aria-label={t("calendar.removePeriod", { period, day: name })}
                onClick={() => onChange(periods.filter((_, at) => at !== index))}
              >
                <IconX size={14} />
              </ActionIcon>
            </Group>
          ))}
          <Button
            variant="subtle"
            size="compact-xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => onChange([...periods, suggestPeriod(periods)])}
            aria-label={t("calendar.addPeriodTo", { day: name })}
          >
            {t("calendar.addPeriod")}
          </Button>
        </Group>
        <Text size="sm" c="dimmed" miw={90} ta="end">
          {minutes > 0 ? formatMinutes(minutes, i18n.language) : ""}
        </Text>
      </Group>
      {messages.length > 0 && (
        <Text c="red" size="xs" ps={110 + 12} role="alert">
          {messages.join(" · ")}
        </Text>
      )}
    </Stack>
  );
}

interface HolidayListProps {
  holidays: string[];
  onChange: (holidays: string[]) => void;
  serverProblem?: string;
}

function HolidayList({ holidays, onChange, serverProblem }: HolidayListProps) {
  const { t, i18n } = useTranslation("admin");
  const [date, setDate] = useState("");
  const add = () => {
    if (!date) return;
    onChange([...new Set([...holidays, date])].sort());
    setDate("");
  };
  // Holidays are local dates with no time: format them as dates in UTC so no zone shifts the day.
  const label = (day: string) => formatDate(day, i18n.language, "UTC");

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t("calendar.holidaysHelp")}
      </Text>
      {holidays.length ? (
        <Pill.Group>
          {holidays.map((day) => (
            <Pill
              key={day}
              withRemoveButton
              onRemove={() => onChange(holidays.filter((other) => other !== day))}
              removeButtonProps={{ "aria-label": t("calendar.removeHoliday", { date: label(day) }) }}
              data-holiday={day}
            >
              {label(day)}
            </Pill>
          ))}
        </Pill.Group>
      ) : (
        <Text size="sm" c="dimmed">
          {t("calendar.noHolidays")}
        </Text>
      )}
      <Group gap="xs" align="flex-end">
        <TextInput
          type="date"
          label={t("calendar.addHoliday")}
          value={date}
          onChange={(event) => setDate(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Enter adds the date here rather than submitting the whole calendar.
            if (event.key === "Enter") {
              event.preventDefault();
              add();
            }
          }}
          w={180}
        />
        <Button variant="default" onClick={add} disabled={!date}>
          {t("calendar.add")}
        </Button>
      </Group>
      {serverProblem && (
        <Text c="red" size="xs" role="alert">
          {serverProblem}
        </Text>
      )}
    </Stack>
  );
}

function CountryInput({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const { t, i18n } = useTranslation("admin");
  let countryName: string | undefined;
  if (COUNTRY_PATTERN.test(value)) {
    countryName = new Intl.DisplayNames(localeOf(i18n.language), { type: "region" }).of(value);
  }
  return (
    <TextInput
      label={t("calendar.country")}
      description={countryName && countryName !== value ? countryName : t("calendar.countryHelp")}
      placeholder="SA"
      dir="ltr"
      maxLength={2}
      w={260}
      maw="100%"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value.toUpperCase().replace(/[^A-Z]/g, ""))}
      error={error}
    />
  );
}
