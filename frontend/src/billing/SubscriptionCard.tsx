/**
 * A tenant's subscription: its plan (and what it includes), status, current period and any change
 * scheduled for the next period, with the change-plan action for those who may take it.
 */
import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconArrowsExchange } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryState } from "../components/QueryState";
import { formatDate, formatNumber } from "../lib/format";
import { ChangePlanDialog, type PlanChoice } from "./ChangePlan";
import { NS } from "./i18n";
import { lastDayOf, planName } from "./plan";
import { PlanDetails } from "./PlanDetails";
import { type Subscription, useSubscription } from "./queries";

const STATUS_COLORS: Record<string, string> = {
  trialing: "blue",
  active: "teal",
  past_due: "orange",
  suspended: "red",
  cancelled: "gray",
};

interface SubscriptionCardProps {
  tenantId: string | null;
  timeZone: string;
  /** The plans it may move to; the change-plan action shows only when there are some. */
  choices: PlanChoice[];
}

export function SubscriptionCard({ tenantId, timeZone, choices }: SubscriptionCardProps) {
  const { t } = useTranslation(NS);
  const subscription = useSubscription(tenantId);
  const [changing, setChanging] = useState(false);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-subscription-title">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
        <Title order={3} size="h4" id="billing-subscription-title">
          {t("subscription.title")}
        </Title>
        {choices.length > 0 && subscription.data && (
          <Button
            variant="light"
            leftSection={<IconArrowsExchange size={16} />}
            onClick={() => setChanging(true)}
          >
            {t("change.open")}
          </Button>
        )}
      </Group>
      <QueryState query={subscription}>
        {(found) => (
          <>
            <SubscriptionFacts subscription={found} timeZone={timeZone} choices={choices} />
            <ChangePlanDialog
              tenantId={tenantId}
              current={found.plan.code}
              pending={found.pending_change?.plan ?? null}
              choices={choices}
              timeZone={timeZone}
              opened={changing}
              onClose={() => setChanging(false)}
            />
          </>
        )}
      </QueryState>
    </Card>
  );
}

function SubscriptionFacts({
  subscription,
  timeZone,
  choices,
}: {
  subscription: Subscription;
  timeZone: string;
  choices: PlanChoice[];
}) {
  const { t, i18n } = useTranslation(NS);
  const language = i18n.language;
  const date = (value: string | null) => formatDate(value, language, timeZone);
  const pending = subscription.pending_change;
  const pendingName = pending && (choices.find((choice) => choice.code === pending.plan)?.name ?? pending.plan);
  const fact = (label: string, value: string, testId?: string) => (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
  return (
    <Stack gap="md">
      <Group gap="sm" wrap="wrap">
        <Text fw={700} size="lg" data-testid="subscription-plan">
          {planName(subscription.plan, t)}
        </Text>
        <Text size="sm" c="dimmed">
          {t("plan.version", { version: formatNumber(subscription.plan.version, language) })}
        </Text>
        <Badge color={STATUS_COLORS[subscription.status] ?? "gray"} data-testid="subscription-status">
          {t(`status.${subscription.status}`, { defaultValue: subscription.status })}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        {fact(
          t("subscription.period"),
          t("subscription.periodRange", {
            start: date(subscription.current_period_start),
            end: date(lastDayOf(subscription.current_period_end)),
          }),
          "subscription-period",
        )}
        {fact(t("subscription.since"), date(subscription.started_at))}
        {subscription.trial_ends_at && fact(t("subscription.trialEnds"), date(subscription.trial_ends_at))}
      </SimpleGrid>
      {pending && (
        <Text size="sm" c="blue" data-testid="subscription-pending">
          {t("subscription.pending", { plan: pendingName, date: date(pending.effective_at) })}
        </Text>
      )}
      <PlanDetails plan={subscription.plan} />
    </Stack>
  );
}
