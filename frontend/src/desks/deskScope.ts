/**
 * Whose desk a screen shows: in the portal the client's own tenant; in the console the tenant staff
 * chose in the section's picker (`?tenant=`), sent with X-Tenant.
 */
import { useLocation, useSearchParams } from "react-router";
import { forTenant } from "../api/client";
import { useMe } from "../auth/session";

export interface DeskScope {
  inConsole: boolean;
  /** The tenant whose desk is shown: the client's own, or the one staff chose (null: none yet). */
  tenantId: string | null;
  headers: { headers: Record<string, string> };
}

export function useDeskScope(): DeskScope {
  const me = useMe();
  const inConsole = useLocation().pathname.startsWith("/console");
  const [params] = useSearchParams();
  if (!inConsole) return { inConsole, tenantId: me.tenant?.id ?? null, headers: forTenant(null) };
  const tenantId = params.get("tenant") || null;
  return { inConsole, tenantId, headers: forTenant(tenantId) };
}
