import { describe, expect, it } from "vitest";
import { complianceByService, hasActivity, overallTotals, type ReportRow } from "./report";

function row(fields: Partial<ReportRow>): ReportRow {
  return {
    tenant_id: "t1",
    tenant_slug: "acme",
    service_type: "support",
    priority: "normal",
    items: 0,
    met: 0,
    breached: 0,
    compliance_percent: null,
    first_responses: 0,
    first_response_median_minutes: null,
    first_response_p90_minutes: null,
    resolution_median_minutes: null,
    resolution_p90_minutes: null,
    ...fields,
  };
}

describe("complianceByService", () => {
  it("weighs each item, not each row, across priorities and tenants", () => {
    const rows = [
      row({ priority: "urgent", items: 1, met: 0, breached: 1, compliance_percent: 0 }),
      row({ priority: "normal", items: 9, met: 9, breached: 0, compliance_percent: 100 }),
      row({ tenant_id: "t2", service_type: "data_entry", items: 3, met: 2, breached: 1 }),
      row({ service_type: null, priority: null, items: 10, met: 9, breached: 1 }),
    ];
    expect(complianceByService(rows)).toEqual([
      { serviceType: "data_entry", met: 2, breached: 1, compliance: 66.7 },
      { serviceType: "support", met: 9, breached: 1, compliance: 90 },
    ]);
  });

  it("leaves out a service with nothing met or breached", () => {
    expect(complianceByService([row({ items: 2 })])).toEqual([]);
  });
});

describe("hasActivity", () => {
  it("is false for a month of zero rows only", () => {
    expect(hasActivity([row({ service_type: null, priority: null })])).toBe(false);
    expect(hasActivity([row({ first_responses: 1 })])).toBe(true);
  });
});

describe("overallTotals", () => {
  it("adds up the tenants' totals rows and recomputes compliance", () => {
    const rows = [
      row({ items: 5, met: 5 }),
      row({ service_type: null, priority: null, items: 5, met: 4, breached: 1 }),
      row({ tenant_id: "t2", service_type: null, priority: null, items: 3, met: 1, breached: 2 }),
    ];
    expect(overallTotals(rows)).toEqual({ items: 8, met: 5, breached: 3, compliance: 62.5 });
  });

  it("takes a single tenant's compliance as the server wrote it", () => {
    const rows = [row({ service_type: null, priority: null, items: 3, met: 2, breached: 1, compliance_percent: 66.7 })];
    expect(overallTotals(rows)).toEqual({ items: 3, met: 2, breached: 1, compliance: 66.7 });
  });

  it("has no compliance when nothing was judged", () => {
    expect(overallTotals([row({ service_type: null, priority: null, items: 2 })]).compliance).toBeNull();
  });
});
