import { describe, expect, it, vi } from "vitest";
import { TokenKeeper, type Tokens, needsRenewal } from "./tokens";

const fresh = (accessToken: string, inMs: number): Tokens => ({
  accessToken,
  refreshToken: `refresh-of-${accessToken}`,
  expiresAt: Date.now() + inMs,
});

describe("TokenKeeper", () => {
  it("hands out the current access token while it has more than a minute left", async () => {
    const refresh = vi.fn();
    const keeper = new TokenKeeper(fresh("a", 5 * 60_000), () => {}, refresh);
    expect(await keeper.accessToken()).toBe("a");
    expect(refresh).not.toHaveBeenCalled();
  });

  it("renews a token about to expire once, however many requests wait for it", async () => {
    const refresh = vi.fn(async () => fresh("b", 10 * 60_000));
    const saved: (Tokens | null)[] = [];
    const keeper = new TokenKeeper(fresh("a", 30_000), (tokens) => saved.push(tokens), refresh);
    const tokens = await Promise.all([keeper.accessToken(), keeper.accessToken(), keeper.accessToken()]);
    expect(tokens).toEqual(["b", "b", "b"]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith("refresh-of-a");
    expect(saved.map((t) => t?.accessToken)).toEqual(["b"]);
  });

  it("ends the session when the refresh token is refused", async () => {
    const keeper = new TokenKeeper(fresh("a", 0), () => {}, async () => {
      throw new Error("invalid_grant");
    });
    expect(await keeper.accessToken()).toBeNull();
    expect(keeper.current()).toBeNull();
  });

  it("has nothing to give when nobody is signed in", async () => {
    expect(await new TokenKeeper(null, () => {}).accessToken()).toBeNull();
  });
});

describe("needsRenewal", () => {
  it("is due within the last minute", () => {
    const now = 1_000_000;
    expect(needsRenewal({ accessToken: "", refreshToken: "", expiresAt: now + 61_000 }, now)).toBe(false);
    expect(needsRenewal({ accessToken: "", refreshToken: "", expiresAt: now + 59_000 }, now)).toBe(true);
  });
});
