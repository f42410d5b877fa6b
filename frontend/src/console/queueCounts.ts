/**
 * The queue summary (`GET /api/v1/queue`) as one line per tenant and service type: how many items
 * wait in each open state, and how many of them are at risk or breached.
 */
import type { Schemas } from "../api/client";

type QueueCount = Schemas["QueueCount"];

/** The states the queue counts, in the order work moves through them. */
export const QUEUE_STATES = ["queued", "in_progress", "waiting_on_client", "in_review"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueLine {
  tenantId: string;
  tenantSlug: string;
  serviceType: string;
  byState: Record<QueueState, number>;
  atRisk: number;
  breached: number;
  total: number;
}

export function queueLines(counts: QueueCount[]): QueueLine[] {
  const lines = new Map<string, QueueLine>();
  for (const count of counts) {
    const key = `${count.tenant_id}/${count.service_type}`;
    let line = lines.get(key);
    if (!line) {
      line = {
        tenantId: count.tenant_id,
        tenantSlug: count.tenant_slug,
        serviceType: count.service_type,
        byState: { queued: 0, in_progress: 0, waiting_on_client: 0, in_review: 0 },
        atRisk: 0,
        breached: 0,
        total: 0,
      };
      lines.set(key, line);
    }
    if (count.state in line.byState) line.byState[count.state as QueueState] += count.items;
    if (count.sla_status === "warning") line.atRisk += count.items;
    if (count.sla_status === "breached") line.breached += count.items;
    line.total += count.items;
  }
  return [...lines.values()].sort(
    (a, b) => a.tenantSlug.localeCompare(b.tenantSlug) || a.serviceType.localeCompare(b.serviceType),
  );
}
