/**
 * The ticket list's filters as they live in the address (`?status=&tag=&q=&page=`, beside the
 * console's `tenant`), and as the API takes them. Changing a filter goes back to the first page.
 */
import { STATES } from "../items/listFilters";

type State = (typeof STATES)[number];

export interface TicketFilters {
  status: State | null;
  tag: string;
  q: string;
  page: number;
}

function isState(value: string | null): value is State {
  return value !== null && (STATES as readonly string[]).includes(value);
}

export function ticketFilters(params: URLSearchParams): TicketFilters {
  const status = params.get("status");
  const page = Number.parseInt(params.get("page") ?? "", 10);
  return {
    status: isState(status) ? status : null,
    tag: (params.get("tag") ?? "").trim(),
    q: (params.get("q") ?? "").trim(),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The address after a change: other parameters (the tenant) kept, empty filters left out, page 1 unless paging. */
export function withTicketFilter(current: URLSearchParams, patch: Partial<TicketFilters>): URLSearchParams {
  const next = new URLSearchParams(current);
  const merged = { ...ticketFilters(current), ...patch };
  if (patch.page === undefined) merged.page = 1;
  for (const key of ["status", "tag", "q"] as const) {
    const value = merged[key];
    if (value) next.set(key, value);
    else next.delete(key);
  }
  if (merged.page > 1) next.set("page", String(merged.page));
  else next.delete("page");
  return next;
}

export function ticketQuery(filters: TicketFilters, pageSize: number) {
  return {
    limit: pageSize,
    offset: (filters.page - 1) * pageSize,
    ...(filters.status ? { status: [filters.status] } : {}),
    ...(filters.tag ? { tag: filters.tag } : {}),
    ...(filters.q ? { q: filters.q } : {}),
  };
}
