/**
 * Tenant names for staff screens, whose rows carry only a tenant id (and sometimes its slug):
 * the caller's assignments answer at once, the tenants list fills in the rest.
 */
import { useMe } from "../auth/session";
import { useTenants } from "../lib/tenants";

export function useTenantNames(): (tenantId: string, fallback?: string) => string {
  const me = useMe();
  const tenants = useTenants();
  return (tenantId, fallback) => {
    const known = [me.tenant, ...me.assigned_tenants, ...(tenants.data?.items ?? [])].find(
      (tenant) => tenant?.id === tenantId,
    );
    return known?.name ?? fallback ?? "—";
  };
}
