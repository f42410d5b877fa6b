/**
 * The request list's filters live in the URL query string (so a filtered list can be bookmarked,
 * shared and restored with Back): reading them from it, writing them to it, and turning them into
 * the API's query. Unknown or malformed values are dropped rather than sent on.
 */
import type { paths } from "../api/schema";

export const STATES = [
  "new",
  "queued",
  "in_progress",
  "waiting_on_client",
  "in_review",
  "done",
  "rejected",
  "cancelled",
] as const;
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const SLA_STATUSES = ["ok", "warning", "breached", "met"] as const;
export const SORTS = ["-created_at", "created_at", "due_at", "-priority"] as const;
export const PAGE_SIZE = 20;

type State = (typeof STATES)[number];
type Priority = (typeof PRIORITIES)[number];
type SlaStatus = (typeof SLA_STATUSES)[number];
export type Sort = (typeof SORTS)[number];
export type ListQuery = NonNullable<paths["/api/v1/work-items"]["get"]["parameters"]["query"]>;

export interface ListFilters {
  states: State[];
  serviceType: string | null;
  priority: Priority | null;
  slaStatus: SlaStatus | null;
  q: string;
  sort: Sort;
  page: number;
}

export const NO_FILTERS: ListFilters = {
  states: [],
  serviceType: null,
  priority: null,
  slaStatus: null,
  q: "",
  sort: "-created_at",
  page: 1,
};

function oneOf<T extends string>(allowed: readonly T[], value: string | null): T | null {
  return allowed.includes(value as T) ? (value as T) : null;
}

export function parseFilters(params: URLSearchParams): ListFilters {
  const page = Number(params.get("page"));
  return {
    states: [...new Set(params.getAll("state"))].filter((s): s is State => STATES.includes(s as State)),
    serviceType: params.get("service_type") || null,
    priority: oneOf(PRIORITIES, params.get("priority")),
    slaStatus: oneOf(SLA_STATUSES, params.get("sla_status")),
    q: params.get("q")?.slice(0, 200) ?? "",
    sort: oneOf(SORTS, params.get("sort")) ?? NO_FILTERS.sort,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string for some filters, leaving out whatever is at its default. */
export function filtersToSearch(filters: ListFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const state of filters.states) params.append("state", state);
  if (filters.serviceType) params.set("service_type", filters.serviceType);
  if (filters.priority) params.set("priority", filters.priority);
  if (filters.slaStatus) params.set("sla_status", filters.slaStatus);
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.sort !== NO_FILTERS.sort) params.set("sort", filters.sort);
  if (filters.page > 1) params.set("page", String(filters.page));
  return params;
}

/** A change to any filter starts again from the first page; only paging itself keeps the page. */
export function withFilter(filters: ListFilters, change: Partial<Omit<ListFilters, "page">>): ListFilters {
  return { ...filters, ...change, page: 1 };
}

export function toListQuery(filters: ListFilters): ListQuery {
  return {
    limit: PAGE_SIZE,
    offset: (filters.page - 1) * PAGE_SIZE,
    sort: filters.sort,
    ...(filters.states.length ? { state: filters.states } : {}),
    ...(filters.serviceType ? { service_type: filters.serviceType } : {}),
    ...(filters.priority ? { priority: filters.priority } : {}),
    ...(filters.slaStatus ? { sla_status: filters.slaStatus } : {}),
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
  };
}

/** Whether anything narrows the list (sorting and paging do not). */
export function isFiltered(filters: ListFilters): boolean {
  return (
    filters.states.length > 0 ||
    filters.serviceType !== null ||
    filters.priority !== null ||
    filters.slaStatus !== null ||
    filters.q.trim() !== ""
  );
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}
