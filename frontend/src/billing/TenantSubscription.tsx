/**
 * A tenant's subscription on its console page: a provider admin sees its plan, status and period and
 * changes its plan (every request names the tenant with X-Tenant), the plans offered from GET /plans.
 */
import "./i18n";
import { useTranslation } from "react-i18next";
import { orderedPlans } from "../admin/planServices";
import { useTenantZone } from "../lib/tenants";
import { NS } from "./i18n";
import { planName } from "./plan";
import { usePlans } from "./queries";
import { SubscriptionCard } from "./SubscriptionCard";

export function TenantSubscription({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation(NS);
  const plans = usePlans();
  const timeZone = useTenantZone(tenantId);
  const choices = orderedPlans(plans.data ?? []).map((plan) => ({ code: plan.code, name: planName(plan, t) }));
  return <SubscriptionCard tenantId={tenantId} timeZone={timeZone} choices={choices} />;
}
