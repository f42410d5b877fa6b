import { describe, expect, it } from "vitest";
import { metPercent, ratingBars, supportReportFileName } from "./report";

describe("ratingBars", () => {
  it("has a bar for every rating from 1 to 5, in order, zero where nobody gave it", () => {
    expect(ratingBars({ "5": 3, "2": 1 })).toEqual([
      { rating: "1", count: 0 },
      { rating: "2", count: 1 },
      { rating: "3", count: 0 },
      { rating: "4", count: 0 },
      { rating: "5", count: 3 },
    ]);
  });

  it("ignores ratings outside 1–5", () => {
    expect(ratingBars({ "0": 4, "6": 2 }).every((bar) => bar.count === 0)).toBe(true);
  });
});

describe("metPercent", () => {
  it("is the share of judged clocks met", () => {
    expect(metPercent({ met: 3, breached: 1 })).toBe(75);
  });

  it("is null when no clock was judged", () => {
    expect(metPercent({ met: 0, breached: 0 })).toBeNull();
  });
});

it("names the CSV file after the month", () => {
  expect(supportReportFileName("2026-11")).toBe("support-2026-11.csv");
});
