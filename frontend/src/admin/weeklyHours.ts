/**
 * A tenant's weekly business hours as the calendar editor holds them: per weekday, the periods as
 * typed ("09:00-13:00"). The server applies the same rules (sla/business_time.py); checking them
 * here as well lets the editor point at the one period that is wrong before anything is sent.
 */

/** The server's weekday keys, Monday first (a day that is absent is closed). */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What the editor holds: every weekday, each with its periods as text. */
export type WeekDraft = Record<Weekday, string[]>;

/** A period in minutes since local midnight; `end` may be 1440 ("24:00"), a period never crosses midnight. */
export interface Period {
  start: number;
  end: number;
}

export type PeriodProblem = "format" | "impossibleTime" | "endNotAfterStart" | "overlap";

/** A parsed period, or what is wrong with the text. */
export type ParsedPeriod = Period | PeriodProblem;

export function isPeriod(parsed: ParsedPeriod): parsed is Period {
  return typeof parsed !== "string";
}

const END_OF_DAY = 24 * 60;
const PERIOD_PATTERN = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/;

function clockMinutes(hours: string, minutes: string, isEnd: boolean): number | null {
  const hour = Number(hours);
  const minute = Number(minutes);
  // "24:00" can only end a day; as a start it would be the next day's midnight.
  if (isEnd && hour === 24 && minute === 0) return END_OF_DAY;
  if (hour > 23 || minute > 59) return null;
  return hour * 60 + minute;
}

export function parsePeriod(text: string): ParsedPeriod {
  const match = PERIOD_PATTERN.exec(text);
  if (!match) return "format";
  const start = clockMinutes(match[1], match[2], false);
  const end = clockMinutes(match[3], match[4], true);
  if (start === null || end === null) return "impossibleTime";
  if (end <= start) return "endNotAfterStart";
  return { start, end };
}

function clock(minutes: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export function formatPeriod(period: Period): string {
  return `${clock(period.start)}-${clock(period.end)}`;
}

/**
 * One day's problems, one entry per typed period (null: fine). Overlapping periods are both marked,
 * so the person sees which two collide; periods that only touch ("09:00-13:00", "13:00-17:00") are fine.
 */
export function dayProblems(texts: readonly string[]): (PeriodProblem | null)[] {
  const parsed = texts.map(parsePeriod);
  const problems = parsed.map((result) => (isPeriod(result) ? null : result));
  const valid = parsed
    .flatMap((result, index) => (isPeriod(result) ? [{ ...result, index }] : []))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  // The period reaching furthest so far: a later start before its end overlaps it.
  let furthest: (Period & { index: number }) | null = null;
  for (const period of valid) {
    if (furthest && period.start < furthest.end) {
      problems[period.index] = "overlap";
      problems[furthest.index] = "overlap";
    }
    if (!furthest || period.end > furthest.end) furthest = period;
  }
  return problems;
}

export interface WeekCheck {
  byDay: Record<Weekday, (PeriodProblem | null)[]>;
  /** No period on any day: the server refuses such a calendar (no target could ever be reached). */
  noHours: boolean;
  valid: boolean;
}

export function checkWeek(draft: WeekDraft): WeekCheck {
  const byDay = Object.fromEntries(WEEKDAYS.map((day) => [day, dayProblems(draft[day])])) as WeekCheck["byDay"];
  const noHours = WEEKDAYS.every((day) => draft[day].length === 0);
  const valid = !noHours && WEEKDAYS.every((day) => byDay[day].every((problem) => problem === null));
  return { byDay, noHours, valid };
}

/** The editor's starting point: the saved hours, or every day closed when the tenant has no calendar yet. */
export function draftFromWeeklyHours(weeklyHours: Record<string, string[]> | null | undefined): WeekDraft {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, [...(weeklyHours?.[day] ?? [])]])) as WeekDraft;
}

/** What to send: each day's periods written the same way and in order; closed days left out. Call only when valid. */
export function weeklyHoursFromDraft(draft: WeekDraft): Record<string, string[]> {
  const weeklyHours: Record<string, string[]> = {};
  for (const day of WEEKDAYS) {
    const periods = draft[day]
      .map(parsePeriod)
      .filter(isPeriod)
      .sort((a, b) => a.start - b.start);
    if (periods.length) weeklyHours[day] = periods.map(formatPeriod);
  }
  return weeklyHours;
}

/** Every day open all day: round the clock, but unlike "no calendar" it can still have holidays. */
export function roundTheClock(): WeekDraft {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, [formatPeriod({ start: 0, end: END_OF_DAY })]])) as WeekDraft;
}

const DEFAULT_PERIOD: Period = { start: 9 * 60, end: 17 * 60 };
const SPLIT_BREAK = 60;
const SPLIT_LENGTH = 4 * 60;

/**
 * A sensible period to add to a day: a working day when it is closed, else a split shift an hour after
 * the last period ends (capped at midnight); empty when the day is already worked until late.
 */
export function suggestPeriod(texts: readonly string[]): string {
  const ends = texts
    .map(parsePeriod)
    .filter(isPeriod)
    .map((period) => period.end);
  if (!ends.length) return formatPeriod(DEFAULT_PERIOD);
  const start = Math.max(...ends) + SPLIT_BREAK;
  if (start >= END_OF_DAY - SPLIT_BREAK) return "";
  return formatPeriod({ start, end: Math.min(start + SPLIT_LENGTH, END_OF_DAY) });
}

/** Business minutes in one day's valid periods, to show the day's length beside it. */
export function dayMinutes(texts: readonly string[]): number {
  return texts
    .map(parsePeriod)
    .filter(isPeriod)
    .reduce((total, period) => total + period.end - period.start, 0);
}

export type CalendarField = Weekday | "weekly_hours" | "holidays" | "holiday_country";

export interface CalendarProblem {
  /** The part of the form it is about; null: the whole form. */
  field: CalendarField | null;
  /** The server's words, without the prefixes that only said where they belong. */
  text: string;
}

/**
 * Where a server message about the calendar belongs, so it can be shown there: the server names the
 * day (`weekly_hours['mon']: ...`), the holidays or the holiday country.
 */
export function placeCalendarProblem(message: string): CalendarProblem {
  const text = message.replace(/^calendar: /, "");
  const day = /^weekly_hours\[['"]?(mon|tue|wed|thu|fri|sat|sun)['"]?\]: /.exec(text);
  if (day) return { field: day[1] as Weekday, text: text.slice(day[0].length) };
  if (/holiday.country/i.test(text)) return { field: "holiday_country", text };
  if (/holidays/i.test(text)) return { field: "holidays", text };
  if (/weekly_hours|business hours/i.test(text)) return { field: "weekly_hours", text };
  return { field: null, text };
}
