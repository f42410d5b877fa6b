/**
 * The fixed vocabularies the admin screens offer in their pickers. Plans and their services come
 * from GET /api/v1/plans (planServices.ts); the plans the migrations seed are named here for their
 * order and as the choice until that list has loaded. The server still checks every value and its
 * words are shown when it refuses one.
 */
export const PLANS = ["starter", "growth", "enterprise"] as const;

/** Built-in services (tenancy/models.py SERVICE_CODES); custom types are per tenant, from manifests. */
export const SERVICES = ["data_entry", "bookkeeping", "hr", "support"] as const;

/** The SLA policies' "any service" row. */
export const ANY_SERVICE = "*";

/** Most urgent first, as the SLA policies list them. */
export const PRIORITIES = ["urgent", "high", "normal", "low"] as const;

export const STAFF_ROLES = ["provider_agent", "provider_admin"] as const;
export const CLIENT_ROLES = ["client_member", "client_admin"] as const;

let timeZones: { value: string; label: string }[] | null = null;

/** Every IANA zone this browser knows, labelled with its current UTC offset ("Asia/Riyadh (GMT+3)"). */
export function timeZoneOptions(current?: string): { value: string; label: string }[] {
  timeZones ??= [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])].map((zone) => ({
    value: zone,
    label: `${zone} (${offsetOf(zone)})`,
  }));
  // A tenant may already use a name this browser spells differently (an alias); keep it choosable.
  if (current && !timeZones.some((option) => option.value === current)) {
    return [{ value: current, label: current }, ...timeZones];
  }
  return timeZones;
}

function offsetOf(zone: string): string {
  const parts = new Intl.DateTimeFormat("en", { timeZone: zone, timeZoneName: "shortOffset" }).formatToParts();
  return parts.find((part) => part.type === "timeZoneName")?.value ?? "";
}
