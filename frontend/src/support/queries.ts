/**
 * The Support desk's server state. Every key starts with ["support", tenant] so a change in one
 * tenant's desk refreshes what the screens show of it; staff name the tenant with X-Tenant, a client
 * admin's requests go to their own tenant without it.
 */
import { useQuery } from "@tanstack/react-query";
import { useLocation, useSearchParams } from "react-router";
import { api, forTenant, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { useTenants } from "../lib/tenants";

// A ticket's whole thread fits on one page (the API's largest).
const WHOLE_THREAD = 200;

export const supportKey = (tenantId: string | null) => ["support", tenantId ?? "own"] as const;

export interface SupportScope {
  inConsole: boolean;
  /** The tenant the desk's screens are about: the client's own, or the one staff chose (null: none yet). */
  tenantId: string | null;
  /** What to send it with: X-Tenant for staff, nothing for a client. */
  headers: { headers: Record<string, string> };
  zone: string;
}

export function useSupportScope(): SupportScope {
  const me = useMe();
  const inConsole = useLocation().pathname.startsWith("/console");
  const [params] = useSearchParams();
  const tenants = useTenants();
  if (!inConsole) {
    return { inConsole, tenantId: me.tenant?.id ?? null, headers: forTenant(null), zone: me.tenant?.timezone ?? "UTC" };
  }
  const tenantId = params.get("tenant") || null;
  const known = [...me.assigned_tenants, ...(tenants.data?.items ?? [])].find((tenant) => tenant.id === tenantId);
  return { inConsole, tenantId, headers: forTenant(tenantId), zone: known?.timezone ?? "UTC" };
}

/** The ticket on a support work item (null when the item came from the portal's form, not by mail). */
export function useTicketOfItem(itemId: string, tenantId: string) {
  return useQuery({
    queryKey: [...supportKey(tenantId), "ticket-of", itemId],
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/v1/support/tickets", {
          params: { query: { work_item_id: itemId, limit: 1 } },
          ...forTenant(tenantId),
        }),
      );
      return page.items[0] ?? null;
    },
  });
}

export function useMessages(ticketId: string, tenantId: string) {
  return useQuery({
    queryKey: [...supportKey(tenantId), "messages", ticketId],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/support/tickets/{ticket_id}/messages", {
          params: { path: { ticket_id: ticketId }, query: { limit: WHOLE_THREAD } },
          ...forTenant(tenantId),
        }),
      ),
    // A reply is stored at once and mailed by the worker just after: look again until it has gone.
    refetchInterval: (query) =>
      query.state.data?.items.some((message) => message.direction === "outbound" && !message.sent_at) ? 2000 : false,
  });
}

export function useMacros(tenantId: string | null, headers = forTenant(tenantId)) {
  return useQuery({
    queryKey: [...supportKey(tenantId), "macros"],
    queryFn: () => unwrap(api.GET("/api/v1/support/macros", headers)),
    enabled: tenantId !== null,
  });
}

export function useChannels(tenantId: string | null, headers = forTenant(tenantId)) {
  return useQuery({
    queryKey: [...supportKey(tenantId), "channels"],
    queryFn: () => unwrap(api.GET("/api/v1/support/channels", headers)),
    enabled: tenantId !== null,
  });
}
