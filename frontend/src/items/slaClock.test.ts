import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { formatCountdown, readClock, splitDuration, tickInterval } from "./slaClock";

const NOW = Date.parse("2026-11-25T08:00:00Z");
const MINUTE = 60_000;

function sla(overrides: Partial<Schemas["SlaOut"]> = {}): Schemas["SlaOut"] {
  return {
    policy: { first_response_minutes: 120, resolution_minutes: 960, warning_percent: 75 },
    first_response_due_at: "2026-11-25T09:00:00Z",
    first_responded_at: null,
    resolution_due_at: "2026-11-27T12:00:00Z",
    business_minutes_used: 30,
    paused: false,
    pause_reason: null,
    status: "ok",
    breached_at: null,
    first_response_breached_at: null,
    resolution_breached_at: null,
    ...overrides,
  };
}

describe("readClock", () => {
  it("counts down to the first response until it is given", () => {
    expect(readClock(sla(), "queued", NOW)).toEqual({
      kind: "running",
      phase: "first_response",
      dueAt: "2026-11-25T09:00:00Z",
      remainingMs: 60 * MINUTE,
      overdue: false,
    });
  });

  it("moves to the resolution due time once the provider has responded", () => {
    const reading = readClock(sla({ first_responded_at: "2026-11-25T07:30:00Z" }), "in_progress", NOW);
    expect(reading).toMatchObject({ kind: "running", phase: "resolution", dueAt: "2026-11-27T12:00:00Z" });
  });

  it("is overdue, with the time since, after the due time passes", () => {
    const reading = readClock(sla({ first_response_due_at: "2026-11-25T07:45:00Z" }), "queued", NOW);
    expect(reading).toMatchObject({ kind: "running", overdue: true, remainingMs: -15 * MINUTE });
  });

  it("pauses while waiting on the client, with the question and the business time left", () => {
    const waiting = sla({
      first_responded_at: "2026-11-25T07:30:00Z",
      resolution_due_at: null,
      paused: true,
      pause_reason: "Which month?",
      business_minutes_used: 900,
    });
    expect(readClock(waiting, "waiting_on_client", NOW)).toEqual({
      kind: "paused",
      reason: "Which month?",
      businessMinutesLeft: 60,
    });
  });

  it("has stopped on a closed item, keeping its verdict", () => {
    expect(readClock(sla({ status: "met" }), "done", NOW)).toEqual({ kind: "stopped", status: "met" });
    expect(readClock(sla({ status: "breached" }), "cancelled", NOW)).toEqual({ kind: "stopped", status: "breached" });
  });

  it("has not started before the item is queued", () => {
    expect(readClock(sla({ policy: null, first_response_due_at: null, resolution_due_at: null }), "new", NOW)).toEqual({
      kind: "not_started",
    });
  });
});

describe("tickInterval", () => {
  it("ticks by the second near the due time and by the minute far from it", () => {
    expect(tickInterval(59 * MINUTE)).toBe(1_000);
    expect(tickInterval(-5 * MINUTE)).toBe(1_000);
    expect(tickInterval(3 * 60 * MINUTE)).toBe(60_000);
  });
});

describe("splitDuration", () => {
  it("splits a span into days, hours, minutes and seconds, whatever its sign", () => {
    expect(splitDuration(-(26 * 60 * MINUTE + 3 * MINUTE + 4_000))).toEqual({ days: 1, hours: 2, minutes: 3, seconds: 4 });
  });
});

describe("formatCountdown", () => {
  it("shows the two largest units, and seconds only within the last hour", () => {
    expect(formatCountdown(2 * 86_400_000 + 3 * 60 * MINUTE + 5 * MINUTE, "en")).toBe("2d 3h");
    expect(formatCountdown(3 * 60 * MINUTE + 5 * MINUTE + 9_000, "en")).toBe("3h 5m");
    expect(formatCountdown(5 * MINUTE + 9_000, "en")).toBe("5m 9s");
    expect(formatCountdown(9_000, "en")).toBe("9s");
  });

  it("skips an empty smaller unit rather than writing zero", () => {
    expect(formatCountdown(2 * 60 * MINUTE + 20_000, "en")).toBe("2h");
  });

  it("writes Arabic with Arabic-Indic digits", () => {
    expect(formatCountdown(5 * MINUTE, "ar")).toMatch(/٥/);
  });
});
