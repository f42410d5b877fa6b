import { useMe } from "../auth/session";
import { useTenants } from "../lib/tenants";

/** tenant id → name, from the caller's own tenant, its assignments, or the tenants list. */
export function useTenantNames(): (tenantId: string) => string {
  const me = useMe();
  const tenants = useTenants();
  return (tenantId) => {
    const known = [me.tenant, ...me.assigned_tenants, ...(tenants.data?.items ?? [])].find(
      (tenant) => tenant?.id === tenantId,
    );
    return known?.name ?? "—";
  };
}
