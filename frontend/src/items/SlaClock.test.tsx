import { MantineProvider } from "@mantine/core";
import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import i18n from "../i18n";
import type { WorkItem } from "./itemQueries";
import { sampleItem } from "./sampleItem";
import { SlaClock } from "./SlaClock";

const NOW = Date.parse("2026-11-25T07:00:00Z"); // 10:00 in Riyadh

function item(state: string, sla: Partial<Schemas["SlaOut"]>): WorkItem {
  return sampleItem(
    { priority: "urgent", state },
    {
      policy: { first_response_minutes: 10, resolution_minutes: 60, warning_percent: 75 },
      first_response_due_at: "2026-11-25T07:05:00Z",
      resolution_due_at: "2026-11-25T07:55:00Z",
      business_minutes_used: 5,
      ...sla,
    },
  );
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
