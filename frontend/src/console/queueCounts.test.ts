import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { queueLines } from "./queueCounts";

function count(fields: Partial<Schemas["QueueCount"]>): Schemas["QueueCount"] {
  return {
    tenant_id: "t-acme",
    tenant_slug: "acme",
    service_type: "support",
    state: "queued",
    sla_status: "ok",
    items: 1,
    ...fields,
  };
}

describe("queueLines", () => {
  it("sums states and SLA statuses per tenant and service type", () => {
    const lines = queueLines([
      count({ state: "queued", sla_status: "ok", items: 3 }),
      count({ state: "queued", sla_status: "warning", items: 2 }),
      count({ state: "in_progress", sla_status: "breached", items: 1 }),
      count({ service_type: "data_entry", state: "in_review", items: 4 }),
    ]);
    expect(lines).toEqual([
      {
        tenantId: "t-acme",
        tenantSlug: "acme",
        serviceType: "data_entry",
        byState: { queued: 0, in_progress: 0, waiting_on_client: 0, in_review: 4 },
        atRisk: 0,
        breached: 0,
        total: 4,
      },
      {
        tenantId: "t-acme",
        tenantSlug: "acme",
        serviceType: "support",
        byState: { queued: 5, in_progress: 1, waiting_on_client: 0, in_review: 0 },
        atRisk: 2,
        breached: 1,
        total: 6,
      },
    ]);
  });

  it("orders tenants by slug", () => {
    const lines = queueLines([count({ tenant_id: "t-z", tenant_slug: "zeta" }), count({})]);
    expect(lines.map((line) => line.tenantSlug)).toEqual(["acme", "zeta"]);
  });
});
