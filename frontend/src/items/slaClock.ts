/**
 * Which SLA clock an item is on, and how long until (or since) its due time: pure, so the live
 * clock can re-read it every tick without asking the server again.
 *
 * First response counts down until the provider first responds; then resolution takes over.
 * Waiting on the client pauses resolution (the server clears its due time), and a closed item's
 * clocks have stopped. Due times are instants already computed in the tenant's business time,
 * so the wall-clock distance to them is the honest countdown.
 */
import type { Schemas } from "../api/client";
import { localeOf } from "../lib/format";

type Sla = Schemas["SlaOut"];

export type ClockPhase = "first_response" | "resolution";

export type ClockReading =
  | { kind: "not_started" } // never queued: no policy fixed yet
  | { kind: "stopped"; status: string } // closed: done, declined or cancelled
  | { kind: "paused"; reason: string | null; businessMinutesLeft: number | null }
  | { kind: "running"; phase: ClockPhase; dueAt: string; remainingMs: number; overdue: boolean };

const CLOSED_STATES = new Set(["done", "rejected", "cancelled"]);

export function readClock(sla: Sla, state: string, now: number): ClockReading {
  if (!sla.policy) return { kind: "not_started" };
  if (CLOSED_STATES.has(state)) return { kind: "stopped", status: sla.status };
  if (sla.paused) {
    const left = sla.policy.resolution_minutes - sla.business_minutes_used;
    return { kind: "paused", reason: sla.pause_reason, businessMinutesLeft: Math.max(0, left) };
  }
  const due = currentDue(sla);
  if (!due) return { kind: "stopped", status: sla.status };
  const remainingMs = new Date(due.dueAt).getTime() - now;
  return { kind: "running", phase: due.phase, dueAt: due.dueAt, remainingMs, overdue: remainingMs < 0 };
}

/** The due time the item is racing now: first response until it is given, then resolution. */
export function currentDue(sla: Sla): { phase: ClockPhase; dueAt: string } | null {
  if (!sla.first_responded_at && sla.first_response_due_at) {
    return { phase: "first_response", dueAt: sla.first_response_due_at };
  }
  if (sla.resolution_due_at) return { phase: "resolution", dueAt: sla.resolution_due_at };
  return null;
}

/** Tick every second in the last hour (and once overdue by less than one), else every minute. */
export function tickInterval(remainingMs: number): number {
  return Math.abs(remainingMs) < 3_600_000 ? 1_000 : 60_000;
}

interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function splitDuration(ms: number): DurationParts {
  const total = Math.floor(Math.abs(ms) / 1000);
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3_600),
    minutes: Math.floor((total % 3_600) / 60),
    seconds: total % 60,
  };
}

/**
 * A countdown as the reader writes it ("2d 3h 5m", "٢ ي و٣ س"): the two largest units, with
 * seconds only within the last hour, where they change what someone does.
 */
export function formatCountdown(ms: number, language: string): string {
  const locale = localeOf(language);
  const { days, hours, minutes, seconds } = splitDuration(ms);
  const units: [number, Intl.NumberFormatOptions["unit"]][] = [
    [days, "day"],
    [hours, "hour"],
    [minutes, "minute"],
    [seconds, "second"],
  ];
  const withinHour = days === 0 && hours === 0;
  const shown = units.filter(([, unit]) => unit !== "second" || withinHour);
  const first = shown.findIndex(([value]) => value > 0);
  const parts = (first === -1 ? shown.slice(-1) : shown.slice(first, first + 2)).filter(
    ([value], index) => index === 0 || value > 0,
  );
  const words = parts.map(([value, unit]) =>
    new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "narrow" }).format(value),
  );
  return new Intl.ListFormat(locale, { type: "unit", style: "narrow" }).format(words);
}
