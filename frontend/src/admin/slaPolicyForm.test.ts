import { describe, expect, it } from "vitest";
import { checkPolicy } from "./slaPolicyForm";

const fine = { firstResponse: 60, resolution: 480, warning: 75 };

describe("the SLA policy form's checks", () => {
  it("accepts whole minutes in order and a warning from 1 to 99", () => {
    expect(checkPolicy(fine)).toEqual({ firstResponse: null, resolution: null, warning: null, valid: true });
  });

  it.each([0, -5, 1.5, "", "-", 525_601])("names %s minutes as wrong rather than turning it into a valid number", (value) => {
    const check = checkPolicy({ ...fine, firstResponse: value });
    expect(check.firstResponse).toBe("minutesInvalid");
    expect(check.valid).toBe(false);
  });

  it.each([0, 100, -1, 12.5])("names a warning of %s %% as wrong", (value) => {
    expect(checkPolicy({ ...fine, warning: value }).warning).toBe("warningInvalid");
  });

  it("says when resolution comes before first response", () => {
    expect(checkPolicy({ ...fine, firstResponse: 500, resolution: 60 }).resolution).toBe(
      "resolutionBeforeFirstResponse",
    );
  });
});
