import { describe, expect, it } from "vitest";
import { expiryState, localToday } from "./documentExpiry";

describe("expiryState", () => {
  it("marks a past expiry expired, one within 30 days soon, and a later one fine", () => {
    expect(expiryState("2026-12-04", "2026-12-05")).toBe("expired");
    expect(expiryState("2026-12-05", "2026-12-05")).toBe("soon");
    expect(expiryState("2027-01-04", "2026-12-05")).toBe("soon");
    expect(expiryState("2027-01-05", "2026-12-05")).toBe("ok");
    expect(expiryState(null, "2026-12-05")).toBe("none");
  });

  it("writes the local date as YYYY-MM-DD", () => {
    expect(localToday(new Date(2027, 0, 9, 12))).toBe("2027-01-09");
  });
});
