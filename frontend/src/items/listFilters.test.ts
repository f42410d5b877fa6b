import { describe, expect, it } from "vitest";
import {
  filtersToSearch,
  isFiltered,
  NO_FILTERS,
  PAGE_SIZE,
  pageCount,
  parseFilters,
  toListQuery,
  withFilter,
} from "./listFilters";

describe("parseFilters", () => {
  it("reads every filter from the query string", () => {
    const filters = parseFilters(
      new URLSearchParams("state=queued&state=in_progress&service_type=support&priority=high&sla_status=warning&q=invoice&sort=due_at&page=3"),
    );
    expect(filters).toEqual({
      states: ["queued", "in_progress"],
      serviceType: "support",
      priority: "high",
      slaStatus: "warning",
      q: "invoice",
      sort: "due_at",
      page: 3,
    });
  });

  it("drops values the API would refuse instead of sending them on", () => {
    const filters = parseFilters(new URLSearchParams("state=lost&state=done&priority=asap&sort=title&page=-2"));
    expect(filters).toEqual({ ...NO_FILTERS, states: ["done"] });
  });

  it("gives the defaults for an empty query string", () => {
    expect(parseFilters(new URLSearchParams())).toEqual(NO_FILTERS);
  });
});

describe("filtersToSearch", () => {
  it("round-trips through the URL and leaves defaults out", () => {
    const filters = { ...NO_FILTERS, states: ["waiting_on_client" as const], q: "  payroll ", page: 2 };
    const search = filtersToSearch(filters);
    expect(search.toString()).toBe("state=waiting_on_client&q=payroll&page=2");
    expect(parseFilters(search)).toEqual({ ...filters, q: "payroll" });
    expect(filtersToSearch(NO_FILTERS).toString()).toBe("");
  });
});

describe("withFilter", () => {
  it("goes back to the first page when a filter changes", () => {
    expect(withFilter({ ...NO_FILTERS, page: 4 }, { priority: "urgent" })).toMatchObject({ page: 1, priority: "urgent" });
  });
});

describe("toListQuery", () => {
  it("turns a page into limit and offset and sends only the filters in use", () => {
    expect(toListQuery({ ...NO_FILTERS, states: ["queued"], page: 3 })).toEqual({
      limit: PAGE_SIZE,
      offset: 2 * PAGE_SIZE,
      sort: "-created_at",
      state: ["queued"],
    });
  });
});

describe("isFiltered and pageCount", () => {
  it("counts searching as filtering but not sorting", () => {
    expect(isFiltered({ ...NO_FILTERS, sort: "due_at" })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, q: "x" })).toBe(true);
  });

  it("has at least one page", () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(PAGE_SIZE + 1)).toBe(2);
  });
});
