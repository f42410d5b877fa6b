/**
 * The monthly support report, shaped for the page: the 1–5 rating bars (every rating, even with
 * no votes), the share of clocks met, and the CSV file's name.
 */
import type { Schemas } from "../api/client";

export type SupportReport = Schemas["SupportReportOut"];
export type ClockFigures = Schemas["ClockFigures"];

export const RATINGS = ["1", "2", "3", "4", "5"] as const;

/** One bar per rating, 1 to 5, with the number of customers who gave it (0 when none did). */
export function ratingBars(distribution: Record<string, number>): { rating: string; count: number }[] {
  return RATINGS.map((rating) => ({ rating, count: Math.max(0, distribution[rating] ?? 0) }));
}

/** The share of judged clocks that were met, 0–100; null when no clock was judged. */
export function metPercent(figures: ClockFigures): number | null {
  const judged = figures.met + figures.breached;
  return judged ? (100 * figures.met) / judged : null;
}

export function supportReportFileName(month: string): string {
  return `support-${month}.csv`;
}
