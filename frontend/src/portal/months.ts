/**
 * Report months as `YYYY-MM`. A month is a tenant's local month, so "this month" is the latest one
 * that has begun in any of the caller's tenants' time zones, which is also the latest the API reports.
 */
import { localeOf } from "../lib/format";

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(text: string | null | undefined): text is string {
  return !!text && MONTH.test(text);
}

/** The month `now` falls in, in one time zone. */
export function monthIn(timeZone: string, now: Date): string {
  // en-CA writes dates as YYYY-MM-DD in every engine.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).format(now).slice(0, 7);
}

/** The latest month begun in any of the zones (UTC when none are known). */
export function latestMonth(timeZones: string[], now: Date = new Date()): string {
  const months = (timeZones.length ? timeZones : ["UTC"]).map((zone) => monthIn(zone, now));
  return months.reduce((latest, month) => (month > latest ? month : latest));
}

/** `count` months ending with `latest`, newest first. */
export function monthsUpTo(latest: string, count: number): string[] {
  const [year, month] = latest.split("-").map(Number);
  return Array.from({ length: count }, (_, back) => {
    const date = new Date(Date.UTC(year, month - 1 - back, 1));
    return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

/** "November 2026" / "نوفمبر ٢٠٢٦". */
export function monthLabel(month: string, language: string): string {
  const [year, number] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(localeOf(language), { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, number - 1, 1)),
  );
}
