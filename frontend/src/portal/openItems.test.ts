import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { countOpenItems, countsFromTotals, isWholeList, stateSlices } from "./openItems";

function item(state: string, status = "ok"): Schemas["WorkItemOut"] {
  return { state, sla: { status } } as Schemas["WorkItemOut"];
}

describe("countOpenItems", () => {
  it("counts every open state and the at-risk and breached items", () => {
    const counts = countOpenItems([
      item("queued", "warning"),
      item("queued"),
      item("in_progress", "breached"),
      item("waiting_on_client"),
      item("new"),
    ]);
    expect(counts.total).toBe(5);
    expect(counts.byState).toEqual({ new: 1, queued: 2, in_progress: 1, waiting_on_client: 1, in_review: 0 });
    expect(counts.bySla).toEqual({ warning: 1, breached: 1 });
  });
});

describe("isWholeList", () => {
  it("is exact only when the page holds the total", () => {
    expect(isWholeList({ items: [1, 2], total: 2 })).toBe(true);
    expect(isWholeList({ items: [1, 2], total: 250 })).toBe(false);
  });
});

describe("countsFromTotals", () => {
  it("waits until every total is known", () => {
    expect(countsFromTotals(9, [1, 2, 3, 2, undefined], [0, 1])).toBeNull();
  });

  it("maps the totals onto states in order", () => {
    expect(countsFromTotals(9, [1, 2, 3, 2, 1], [4, 1])).toEqual({
      total: 9,
      byState: { new: 1, queued: 2, in_progress: 3, waiting_on_client: 2, in_review: 1 },
      bySla: { warning: 4, breached: 1 },
    });
  });
});

describe("stateSlices", () => {
  it("leaves out states with no items", () => {
    const counts = countOpenItems([item("queued"), item("queued"), item("in_review")]);
    expect(stateSlices(counts)).toEqual([
      { state: "queued", value: 2 },
      { state: "in_review", value: 1 },
    ]);
  });
});
