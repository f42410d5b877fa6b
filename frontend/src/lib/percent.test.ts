import { describe, expect, it } from "vitest";
import { formatPercent, formatShare } from "./percent";

describe("formatPercent", () => {
  it("writes a 0-100 figure with the percent sign and at most one decimal", () => {
    expect(formatPercent(87.5, "en")).toBe("87.5%");
    expect(formatPercent(100, "en")).toBe("100%");
  });

  it("uses Arabic digits and sign in Arabic", () => {
    expect(formatPercent(50, "ar")).toMatch(/٥٠/);
    expect(formatPercent(50, "ar")).toContain("٪");
  });

  it("shows a dash when there is no figure", () => {
    expect(formatPercent(null, "en")).toBe("—");
  });
});

describe("formatShare", () => {
  it("turns a 0-1 share into a percentage", () => {
    expect(formatShare(0.125, "en")).toBe("12.5%");
  });
});
