/**
 * The tenants the caller can see, and each one's time zone: dates of a tenant's things are shown
 * in that tenant's time (a client's own; for staff, the item's tenant).
 */
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "../api/client";
import { useMe } from "../auth/session";

export type TenantOut = Schemas["TenantOut"];

export function useTenants() {
  return useQuery({
    queryKey: ["tenants", "all"],
    queryFn: () => unwrap(api.GET("/api/v1/tenants", { params: { query: { limit: 200 } } })),
    staleTime: 5 * 60_000,
  });
}

/** tenant id → what the caller knows of it: its own tenant, its assignments, then the tenants list. */
function useKnownTenants(): (tenantId: string | null | undefined) => { name: string; timezone: string } | undefined {
  const me = useMe();
  const tenants = useTenants();
  return (tenantId) =>
    [me.tenant, ...me.assigned_tenants, ...(tenants.data?.items ?? [])].find((tenant) => tenant?.id === tenantId) ??
    undefined;
}

/** The time zone for a tenant's dates; the caller's own tenant's, or UTC until the list has loaded. */
export function useTenantZone(tenantId: string | null | undefined): string {
  const me = useMe();
  const known = useKnownTenants();
  if (me.tenant && (!tenantId || me.tenant.id === tenantId)) return me.tenant.timezone;
  return known(tenantId)?.timezone ?? "UTC";
}

/** tenant id → its name, for rows that carry only the id (and sometimes a slug as the fallback). */
export function useTenantNames(): (tenantId: string, fallback?: string) => string {
  const known = useKnownTenants();
  return (tenantId, fallback) => known(tenantId)?.name ?? fallback ?? "—";
}
