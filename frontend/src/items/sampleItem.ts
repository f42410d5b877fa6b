/**
 * A complete work item as the API returns it, for unit tests: each test names only what it is about.
 */
import type { Schemas } from "../api/client";

type Item = Schemas["WorkItemOut"];

export function sampleItem(overrides: Partial<Item> = {}, sla: Partial<Schemas["SlaOut"]> = {}): Item {
  return {
    id: "00000000-0000-0000-0000-000000000001",
    tenant_id: "00000000-0000-0000-0000-000000000002",
    service_type: "support",
    title: "Checkout is down",
    payload: {},
    priority: "normal",
    state: "queued",
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
    ...overrides,
    sla: {
      policy: null,
      first_response_due_at: null,
      first_responded_at: null,
      resolution_due_at: null,
      business_minutes_used: 0,
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
