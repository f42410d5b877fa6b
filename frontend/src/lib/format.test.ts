import { describe, expect, it } from "vitest";
import { formatBytes, formatDateTime, formatMinutes, formatNumber } from "./format";

describe("formatDateTime", () => {
  it("shows an instant in the tenant's time zone", () => {
    // 06:30 UTC is 09:30 in Riyadh and 01:30 in New York (EST).
    expect(formatDateTime("2026-11-25T06:30:00Z", "en", "Asia/Riyadh")).toContain("09:30");
    expect(formatDateTime("2026-11-25T06:30:00Z", "en", "America/New_York")).toContain("01:30");
  });

  it("writes Arabic with Arabic-Indic digits", () => {
    expect(formatDateTime("2026-11-25T06:30:00Z", "ar", "Asia/Riyadh")).toMatch(/[٠-٩]/);
  });

  it("shows a dash for no date", () => {
    expect(formatDateTime(null, "en")).toBe("—");
  });
});

describe("formatMinutes", () => {
  it("writes hours and padded minutes", () => {
    expect(formatMinutes(125, "en")).toBe("2 h 05 min");
    expect(formatMinutes(45, "en")).toBe("45 min");
    expect(formatMinutes(-3, "en")).toBe("0 min");
  });
});

describe("formatNumber", () => {
  it("keeps the fraction digits asked for", () => {
    expect(formatNumber(87.456, "en", 1)).toBe("87.5");
    expect(formatNumber(undefined, "en")).toBe("—");
  });
});

describe("formatBytes", () => {
  it("says sizes in KB and MB", () => {
    expect(formatBytes(500, "en")).toBe("500 bytes");
    expect(formatBytes(1536, "en")).toBe("1.5 KB");
    expect(formatBytes(25 * 1024 ** 2, "en")).toBe("25 MB");
    expect(formatBytes(10_000_000, "en")).toBe("9.5 MB");
  });

  it("writes Arabic digits and units", () => {
    expect(formatBytes(1536, "ar")).toBe("١٫٥ ك.ب");
  });
});
