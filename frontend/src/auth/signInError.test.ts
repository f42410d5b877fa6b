import { describe, expect, it } from "vitest";
import type { TFunction } from "i18next";
import { ApiError } from "../api/client";
import { retryAfter, signInError } from "./signInError";

const t = ((key: string, options?: { seconds?: number }) =>
  options?.seconds ? `${key}:${options.seconds}` : key) as unknown as TFunction;

describe("signInError", () => {
  it("says the address is locked and for how long when the server gives retry_after", () => {
    const locked = new ApiError(400, "Too many failed sign-ins; try again in 42 seconds", { retry_after: 42 });
    expect(retryAfter(locked)).toBe(42);
    expect(signInError(locked, t)).toBe("session.locked:42");
  });

  it("says the details do not match for a plain refusal", () => {
    expect(signInError(new ApiError(400, "Wrong email or password"), t)).toBe("session.failed");
  });

  it("passes other errors through", () => {
    expect(signInError(new Error("offline"), t)).toBe("offline");
  });
});
