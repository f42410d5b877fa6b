/**
 * Billing's server state. Every key starts with ["billing", tenant] so a plan change or a saved
 * profile refreshes what any billing screen shows of that tenant; the console names the tenant with
 * X-Tenant, a client admin's requests go to their own tenant without it (tenantId null).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, forTenant, type Schemas, unwrap } from "../api/client";

export type Subscription = Schemas["SubscriptionOut"];
export type PlanChange = Schemas["PlanChangeOut"];
export type Profile = Schemas["BillingProfileOut"];
export type ProfileDraft = Schemas["BillingProfileIn"];

export const billingKey = (tenantId: string | null) => ["billing", tenantId ?? "own"] as const;

export function useSubscription(tenantId: string | null) {
  return useQuery({
    queryKey: [...billingKey(tenantId), "subscription"],
    queryFn: () => unwrap(api.GET("/api/v1/subscription", forTenant(tenantId))),
  });
}

export function useUsage(tenantId: string | null, period: string) {
  return useQuery({
    queryKey: [...billingKey(tenantId), "usage", period],
    queryFn: () => unwrap(api.GET("/api/v1/usage", { params: { query: { period } }, ...forTenant(tenantId) })),
  });
}

export function usePlans() {
  return useQuery({
    queryKey: ["billing", "plans"],
    queryFn: () => unwrap(api.GET("/api/v1/plans")),
    staleTime: 5 * 60_000,
  });
}

/** What moving to `plan` would do; nothing is asked until a plan is chosen. */
export function usePlanPreview(tenantId: string | null, plan: string | null) {
  return useQuery({
    queryKey: [...billingKey(tenantId), "preview", plan],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/subscription/preview", { params: { query: { plan: plan ?? "" } }, ...forTenant(tenantId) }),
      ),
    enabled: plan !== null,
    retry: false,
  });
}

export function useChangePlan(tenantId: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (plan: string) => unwrap(api.PUT("/api/v1/subscription", { body: { plan }, ...forTenant(tenantId) })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: billingKey(tenantId) }),
  });
}

export function useProfile(tenantId: string | null) {
  return useQuery({
    queryKey: [...billingKey(tenantId), "profile"],
    queryFn: () => unwrap(api.GET("/api/v1/billing/profile", forTenant(tenantId))),
  });
}

export function useSaveProfile(tenantId: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (draft: ProfileDraft) =>
      unwrap(api.PUT("/api/v1/billing/profile", { body: draft, ...forTenant(tenantId) })),
    onSuccess: (saved) => queryClient.setQueryData([...billingKey(tenantId), "profile"], saved),
  });
}
