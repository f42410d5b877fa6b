/**
 * Dates and numbers as the reader expects them: in their language, and in the time zone of the
 * tenant the thing belongs to (an item due "at 09:30" is 09:30 where the client works).
 */
import type { Language } from "../i18n";

// Arabic with Arabic-Indic digits and the Gregorian calendar (plain "ar" uses Western digits in some engines).
const LOCALES: Record<Language, string> = { en: "en-GB", ar: "ar-u-nu-arab" };

export function localeOf(language: string): string {
  return LOCALES[language as Language] ?? "en-GB";
}

export function formatDateTime(value: string | null | undefined, language: string, timeZone?: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(localeOf(language), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timeZone || undefined,
  }).format(new Date(value));
}

export function formatDate(value: string | null | undefined, language: string, timeZone?: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: "medium", timeZone: timeZone || undefined }).format(
    new Date(value),
  );
}

export function formatNumber(value: number | null | undefined, language: string, fractionDigits = 0): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(localeOf(language), {
    maximumFractionDigits: fractionDigits,
    minimumFractionDigits: fractionDigits,
  }).format(value);
}

/** A span in minutes as "2 h 05 min" / "45 min", in the reader's digits. */
export function formatMinutes(minutes: number, language: string): string {
  const whole = Math.max(0, Math.round(minutes));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  const number = (n: number, pad = false) =>
    new Intl.NumberFormat(localeOf(language), { minimumIntegerDigits: pad ? 2 : 1 }).format(n);
  const [h, min] = language === "ar" ? ["س", "د"] : ["h", "min"];
  return hours ? `${number(hours)} ${h} ${number(rest, true)} ${min}` : `${number(rest)} ${min}`;
}

/**
 * A file size as "1.5 KB" / "25 MB" (of 1024, as the API's limits are said), in the reader's digits;
 * Arabic writes "ك.ب" / "م.ب". Intl's own units would say "kB" and, in Arabic, whole words.
 */
export function formatBytes(bytes: number, language: string): string {
  const [value, unit] =
    bytes >= 1024 ** 2 ? [bytes / 1024 ** 2, "MB"] : bytes >= 1024 ? [bytes / 1024, "KB"] : [bytes, "B"];
  const units: Record<string, string> = language === "ar" ? { MB: "م.ب", KB: "ك.ب", B: "بايت" } : {};
  const number = new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: 1 }).format(value);
  return `${number} ${units[unit] ?? (unit === "B" ? "bytes" : unit)}`;
}

/** Milliseconds until `value` (negative once it has passed). */
export function millisecondsUntil(value: string, now: number = Date.now()): number {
  return new Date(value).getTime() - now;
}
