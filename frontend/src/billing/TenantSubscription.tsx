/**
 * A tenant's subscription on its console page: a provider admin sees its plan, status and period and
 * changes its plan (every request names the tenant with X-Tenant), the plans offered from GET /plans;
 * then its invoices (finalize, credit note, bank transfer) and credit notes.
 */
import "./i18n";
import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useTenantZone } from "../lib/tenants";
import { CreditNotesCard } from "./CreditNotesCard";
import { NS } from "./i18n";
import { InvoicesCard } from "./InvoicesCard";
import { planChoices } from "./plan";
import { usePlans } from "./queries";
import { SubscriptionCard } from "./SubscriptionCard";

export function TenantSubscription({ tenantId }: { tenantId: string }) {
  const { t, i18n } = useTranslation(NS);
  const plans = usePlans();
  const timeZone = useTenantZone(tenantId);
  const choices = planChoices(plans.data ?? [], t, i18n.language);
  return (
    <Stack gap="md">
      <SubscriptionCard tenantId={tenantId} timeZone={timeZone} choices={choices} />
      <InvoicesCard tenantId={tenantId} timeZone={timeZone} console />
      <CreditNotesCard tenantId={tenantId} timeZone={timeZone} />
    </Stack>
  );
}
