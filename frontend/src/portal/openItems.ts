/**
 * What the dashboard counts: the caller's open items by state and by SLA status.
 *
 * One page of open items (sorted by due time) answers every count exactly when it holds all of
 * them, which is the usual case; a tenant with more open items than a page falls back to one
 * count request per figure (`limit=1`, reading `total`).
 */
import type { Schemas } from "../api/client";

type WorkItem = Schemas["WorkItemOut"];
export type WorkState = Schemas["WorkState"];

/** The states of an item that is not finished, in the order work moves through them. */
export const OPEN_STATES = ["new", "queued", "in_progress", "waiting_on_client", "in_review"] as const satisfies WorkState[];
export type OpenState = (typeof OPEN_STATES)[number];

/** The SLA statuses the dashboard counts among open items. */
export const ALERT_STATUSES = ["warning", "breached"] as const satisfies Schemas["SlaStatus"][];
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The largest page the API gives: the dashboard's one request for open items. */
export const OPEN_PAGE_SIZE = 200;

export interface OpenCounts {
  total: number;
  byState: Record<OpenState, number>;
  bySla: Record<AlertStatus, number>;
}

/** True when the page holds every open item, so counting it is exact. */
export function isWholeList(page: { items?: unknown[]; total?: number }): boolean {
  return (page.items?.length ?? 0) >= (page.total ?? 0);
}

export function countOpenItems(items: WorkItem[]): OpenCounts {
  const byState = Object.fromEntries(OPEN_STATES.map((state) => [state, 0])) as Record<OpenState, number>;
  const bySla: Record<AlertStatus, number> = { warning: 0, breached: 0 };
  for (const item of items) {
    if (item.state in byState) byState[item.state as OpenState] += 1;
    if (item.sla.status in bySla) bySla[item.sla.status as AlertStatus] += 1;
  }
  return { total: items.length, byState, bySla };
}

/** Counts from separate `total`s, in the same shape; null until every one is known. */
export function countsFromTotals(
  total: number,
  stateTotals: (number | undefined)[],
  slaTotals: (number | undefined)[],
): OpenCounts | null {
  if ([...stateTotals, ...slaTotals].some((value) => value === undefined)) return null;
  const byState = Object.fromEntries(OPEN_STATES.map((state, index) => [state, stateTotals[index]])) as Record<
    OpenState,
    number
  >;
  const [warning, breached] = slaTotals as number[];
  return { total, byState, bySla: { warning, breached } };
}

/** The states that have items, for the chart: a zero slice only clutters the legend. */
export function stateSlices(counts: OpenCounts): { state: OpenState; value: number }[] {
  return OPEN_STATES.filter((state) => counts.byState[state] > 0).map((state) => ({
    state,
    value: counts.byState[state],
  }));
}
