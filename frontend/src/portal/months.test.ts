import { describe, expect, it } from "vitest";
import { isMonth, latestMonth, monthLabel, monthsUpTo } from "./months";

describe("latestMonth", () => {
  it("is the month begun furthest ahead among the zones", () => {
    // 22:30 UTC on 30 November is already 1 December in Riyadh (UTC+3), not in New York.
    const now = new Date("2026-11-30T22:30:00Z");
    expect(latestMonth(["America/New_York"], now)).toBe("2026-11");
    expect(latestMonth(["America/New_York", "Asia/Riyadh"], now)).toBe("2026-12");
  });

  it("falls back to UTC when no zone is known", () => {
    expect(latestMonth([], new Date("2026-03-31T23:59:00Z"))).toBe("2026-03");
  });
});

describe("monthsUpTo", () => {
  it("counts back across a year end, newest first", () => {
    expect(monthsUpTo("2027-02", 4)).toEqual(["2027-02", "2027-01", "2026-12", "2026-11"]);
  });
});

describe("isMonth", () => {
  it("accepts YYYY-MM only", () => {
    expect(isMonth("2026-11")).toBe(true);
    expect(isMonth("2026-13")).toBe(false);
    expect(isMonth("2026-1")).toBe(false);
    expect(isMonth(null)).toBe(false);
  });
});

describe("monthLabel", () => {
  it("names the month in the reader's language", () => {
    expect(monthLabel("2026-11", "en")).toBe("November 2026");
    expect(monthLabel("2026-11", "ar")).toMatch(/٢٠٢٦/);
  });
});
