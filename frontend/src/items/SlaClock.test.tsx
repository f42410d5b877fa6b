import { MantineProvider } from "@mantine/core";
import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import i18n from "../i18n";
import type { WorkItem } from "./itemQueries";
import { SlaClock } from "./SlaClock";

const NOW = Date.parse("2026-11-25T07:00:00Z"); // 10:00 in Riyadh

function item(state: string, sla: Partial<Schemas["SlaOut"]>): WorkItem {
  return {
    id: "00000000-0000-0000-0000-000000000001",
    tenant_id: "00000000-0000-0000-0000-000000000002",
    service_type: "support",
    title: "Checkout is down",
    payload: {},
    priority: "urgent",
    state,
    requester_id: null,
    requester_client_id: null,
    requester_name: null,
    shared: false,
    assignee_id: null,
    assignee_name: null,
    waiting_reason: null,
    rework_count: 0,
    created_at: "2026-11-25T06:55:00Z",
    updated_at: "2026-11-25T06:55:00Z",
    queued_at: "2026-11-25T06:55:00Z",
    resolved_at: null,
    closed_at: null,
    allowed_transitions: [],
    desk: null,
    sla: {
      policy: { first_response_minutes: 10, resolution_minutes: 60, warning_percent: 75 },
      first_response_due_at: "2026-11-25T07:05:00Z",
      first_responded_at: null,
      resolution_due_at: "2026-11-25T07:55:00Z",
      business_minutes_used: 5,
      paused: false,
      pause_reason: null,
      status: "ok",
      breached_at: null,
      first_response_breached_at: null,
      resolution_breached_at: null,
      ...sla,
    },
  };
}

function renderClock(workItem: WorkItem) {
  return render(
    <MantineProvider>
      <SlaClock item={workItem} zone="Asia/Riyadh" />
    </MantineProvider>,
  );
}

beforeEach(async () => {
  vi.useFakeTimers({ now: NOW });
  await i18n.changeLanguage("en");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("SlaClock", () => {
  it("counts down every second near the due time, without new data", () => {
    renderClock(item("queued", {}));
    expect(screen.getByRole("timer").textContent).toContain("Due in 5m");
    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.getByRole("timer").textContent).toContain("Due in 4m 59s");
  });

  it("shows the due time in the tenant's time zone", () => {
    renderClock(item("queued", {}));
    expect(screen.getByText(/Due 25 Nov 2026, 10:05/)).toBeTruthy();
  });

  it("turns to 'overdue by' once the due time passes", () => {
    renderClock(item("queued", { first_response_due_at: "2026-11-25T06:59:30Z" }));
    expect(screen.getByRole("timer").textContent).toContain("Overdue by 30s");
    for (let second = 0; second < 5; second++) act(() => vi.advanceTimersByTime(1_000));
    expect(screen.getByRole("timer").textContent).toContain("Overdue by 35s");
  });

  it("says it is paused, and why, while waiting on the client", () => {
    const waiting = item("waiting_on_client", {
      first_responded_at: "2026-11-25T06:58:00Z",
      resolution_due_at: null,
      paused: true,
      pause_reason: "Which card should the refund go to?",
    });
    renderClock(waiting);
    expect(screen.queryByRole("timer")).toBeNull();
    expect(screen.getByText("Which card should the refund go to?")).toBeTruthy();
  });
});
