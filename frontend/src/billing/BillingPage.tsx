/**
 * /portal/billing: a client admin's plan and subscription (and changing plan), this period's usage
 * priced so far, invoices (PDF, pay), the card on file, credit notes, and the billing profile invoices are made out to. Dates are in the tenant's time.
 */
import "./i18n";
import { Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useMe } from "../auth/session";
import { PageHeader } from "../components/PageHeader";
import { CardOnFile } from "./CardOnFile";
import { CreditNotesCard } from "./CreditNotesCard";
import { NS } from "./i18n";
import { InvoicesCard } from "./InvoicesCard";
import { ProfileCard } from "./ProfileForm";
import { planChoices } from "./plan";
import { usePlans, useSubscription } from "./queries";
import { SubscriptionCard } from "./SubscriptionCard";
import { UsageCard } from "./UsageCard";
import { UsageRecordsCard } from "./UsageRecordsCard";

export function Component() {
  const { t, i18n } = useTranslation(NS);
  const timeZone = useMe().tenant?.timezone ?? "UTC";
  const subscription = useSubscription(null);
  const plans = usePlans();
  const choices = planChoices(plans.data ?? [], t, i18n.language);
  return (
    <>
      <PageHeader title={t("page.title")} />
      <Text c="dimmed" size="sm" mt={-8} mb="md">
        {t("page.intro")}
      </Text>
      <Stack gap="md">
        <SubscriptionCard tenantId={null} timeZone={timeZone} choices={choices} />
        {subscription.data && (
          <UsageCard tenantId={null} timeZone={timeZone} subscription={subscription.data} />
        )}
        {subscription.data && <UsageRecordsCard timeZone={timeZone} subscription={subscription.data} />}
        <InvoicesCard tenantId={null} timeZone={timeZone} />
        <CardOnFile tenantId={null} />
        <CreditNotesCard tenantId={null} timeZone={timeZone} />
        <ProfileCard tenantId={null} timeZone={timeZone} />
      </Stack>
    </>
  );
}
