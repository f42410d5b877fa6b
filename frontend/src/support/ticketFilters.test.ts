import { describe, expect, it } from "vitest";
import { ticketFilters, ticketQuery, withTicketFilter } from "./ticketFilters";

describe("ticketFilters", () => {
  it("reads the filters from the address, ignoring what is not one", () => {
    expect(ticketFilters(new URLSearchParams("status=queued&tag=%20shipping%20&q=layla&page=3"))).toEqual({
      status: "queued",
      tag: "shipping",
      q: "layla",
      page: 3,
    });
    expect(ticketFilters(new URLSearchParams("status=lost&page=-2"))).toEqual({ status: null, tag: "", q: "", page: 1 });
  });
});

describe("withTicketFilter", () => {
  it("keeps the tenant, drops empty filters and goes back to page 1 when a filter changes", () => {
    const next = withTicketFilter(new URLSearchParams("tenant=t1&status=queued&page=4"), { tag: "refund", status: null });
    expect(next.toString()).toBe("tenant=t1&tag=refund");
  });

  it("moves to another page without touching the filters", () => {
    const next = withTicketFilter(new URLSearchParams("q=omar"), { page: 2 });
    expect(next.toString()).toBe("q=omar&page=2");
  });
});

describe("ticketQuery", () => {
  it("asks the API for one page with only the filters that are set", () => {
    expect(ticketQuery({ status: "in_progress", tag: "", q: "omar", page: 2 }, 25)).toEqual({
      limit: 25,
      offset: 25,
      status: ["in_progress"],
      q: "omar",
    });
  });
});
