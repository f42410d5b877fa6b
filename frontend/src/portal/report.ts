/**
 * The monthly SLA report's rows as the screens use them. The API sends, per tenant, one row per
 * service type and priority, then the tenant's totals row (service type and priority null).
 */
import type { Schemas } from "../api/client";

export type ReportRow = Schemas["ReportRow"];

export function isTotalsRow(row: ReportRow): boolean {
  return row.service_type === null;
}

/** True when the month counted anything: an item closed or a first response given. */
export function hasActivity(rows: ReportRow[]): boolean {
  return rows.some((row) => row.items > 0 || row.first_responses > 0);
}

export interface ServiceCompliance {
  serviceType: string;
  met: number;
  breached: number;
  /** met / (met + breached), 0–100. */
  compliance: number;
}

/**
 * Compliance per service type over every priority and tenant in the report, recomputed from met and
 * breached (averaging the rows' percentages would weigh a row of one item like a row of a hundred).
 * Service types with nothing judged are left out: they have no compliance to draw.
 */
export function complianceByService(rows: ReportRow[]): ServiceCompliance[] {
  const sums = new Map<string, { met: number; breached: number }>();
  for (const row of rows) {
    if (row.service_type === null) continue;
    const sum = sums.get(row.service_type) ?? { met: 0, breached: 0 };
    sum.met += row.met;
    sum.breached += row.breached;
    sums.set(row.service_type, sum);
  }
  return [...sums]
    .filter(([, sum]) => sum.met + sum.breached > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([serviceType, { met, breached }]) => ({
      serviceType,
      met,
      breached,
      compliance: Math.round((1000 * met) / (met + breached)) / 10,
    }));
}

/** The name the downloaded CSV is saved under (the server's own name for it). */
export function reportFileName(month: string): string {
  return `sla-report-${month}.csv`;
}

export interface Totals {
  items: number;
  met: number;
  breached: number;
  /** met / (met + breached), 0–100; null when nothing was judged. */
  compliance: number | null;
}

/**
 * The month's totals over every tenant in the report, from the tenants' totals rows. A single tenant's
 * compliance is the server's own figure, so the summary and the table's totals row always agree.
 */
export function overallTotals(rows: ReportRow[]): Totals {
  const tenantRows = rows.filter(isTotalsRow);
  if (tenantRows.length === 1) {
    const [row] = tenantRows;
    return { items: row.items, met: row.met, breached: row.breached, compliance: row.compliance_percent };
  }
  const totals = tenantRows.reduce(
    (sum, row) => ({ items: sum.items + row.items, met: sum.met + row.met, breached: sum.breached + row.breached }),
    { items: 0, met: 0, breached: 0 },
  );
  const judged = totals.met + totals.breached;
  return { ...totals, compliance: judged ? Math.round((1000 * totals.met) / judged) / 10 : null };
}
