import { describe, expect, it } from "vitest";
import { caseLink, isLate, isMasked, progress } from "./cases";

describe("HR case helpers", () => {
  it("links a case to the console workspace or the portal page by its work item", () => {
    expect(caseLink(true, "abc")).toBe("/console/hr/cases/abc");
    expect(caseLink(false, "abc")).toBe("/portal/hr/cases/abc");
  });

  it("calls an open task late only after its due date", () => {
    expect(isLate({ done: false, due_date: "2026-02-04" }, "2026-02-05")).toBe(true);
    expect(isLate({ done: false, due_date: "2026-02-05" }, "2026-02-05")).toBe(false);
    expect(isLate({ done: true, due_date: "2026-02-01" }, "2026-02-05")).toBe(false);
  });

  it("measures progress as done tasks out of all", () => {
    expect(progress([{ done: true }, { done: false }, { done: false }, { done: true }])).toBe(50);
    expect(progress([])).toBe(100);
  });

  it("sees masked personal data as every value null", () => {
    expect(isMasked({ national_id: null, iban: null, salary: null })).toBe(true);
    expect(isMasked({ national_id: "1000000008", iban: null })).toBe(false);
  });
});
