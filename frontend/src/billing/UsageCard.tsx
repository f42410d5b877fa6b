/**
 * A period's usage, priced so far on the plan in force: each meter and the seats against what the
 * plan includes, then the base fee and the estimated total. "This month" by default; earlier months
 * back to the subscription's start are a pick away.
 */
import { Card, Group, Progress, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryState } from "../components/QueryState";
import { formatDateTime, formatNumber } from "../lib/format";
import { formatPercent } from "../lib/percent";
import { monthLabel } from "../portal/months";
import { NS } from "./i18n";
import { formatMoney } from "./money";
import { includedUsed, type MeterUsage, meterName, type Plan, type Usage, usageMonths } from "./plan";
import { type Subscription, useUsage } from "./queries";

// A year of months to look back on.
const MONTHS_OFFERED = 12;

interface UsageCardProps {
  tenantId: string | null;
  timeZone: string;
  subscription: Subscription;
}

export function UsageCard({ tenantId, timeZone, subscription }: UsageCardProps) {
  const { t, i18n } = useTranslation(NS);
  const months = usageMonths(subscription.started_at, timeZone, MONTHS_OFFERED);
  const [period, setPeriod] = useState(months[0]);
  const usage = useUsage(tenantId, period);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-usage-title">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
        <Title order={3} size="h4" id="billing-usage-title">
          {t("usage.title")}
        </Title>
        <Select
          aria-label={t("usage.month")}
          data={months.map((value) => ({ value, label: monthLabel(value, i18n.language) }))}
          value={period}
          onChange={(value) => value && setPeriod(value)}
          allowDeselect={false}
          w={190}
          data-testid="usage-month"
        />
      </Group>
      <QueryState query={usage}>
        {(found) => <UsageTable usage={found} plan={subscription.plan} timeZone={timeZone} />}
      </QueryState>
    </Card>
  );
}

function UsageTable({ usage, plan, timeZone }: { usage: Usage; plan: Plan; timeZone: string }) {
  const { t, i18n } = useTranslation(NS);
  const language = i18n.language;
  const money = (minor: number) => formatMoney(minor, usage.currency, language);
  // The plan's allowances, when the period is priced on the version the subscription is on now.
  const samePlan = usage.plan === plan.code && usage.version === plan.version;
  const allowance = (meter: string) =>
    meter === "seats" ? plan.seats.included : plan.meters.find((price) => price.code === meter)?.included;
  const row = (meter: MeterUsage, name: string) => {
    const included = samePlan ? allowance(meter.meter) : undefined;
    const used = included === undefined ? null : includedUsed(meter.quantity, included);
    return (
      <Table.Tr key={meter.meter} data-meter={meter.meter}>
        <Table.Td>
          <Text size="sm" fw={500}>
            {name}
          </Text>
          {used !== null && (
            <Progress
              value={used}
              size="sm"
              mt={4}
              color={used >= 100 ? "orange" : "blue"}
              aria-label={t("usage.ofIncluded", {
                percent: formatPercent(used, language, 0),
                included: formatNumber(included, language),
              })}
            />
          )}
          {included !== undefined && (
            <Text size="xs" c="dimmed">
              {t("usage.allowance", { included: formatNumber(included, language) })}
            </Text>
          )}
        </Table.Td>
        <Table.Td ta="end">{formatNumber(meter.quantity, language)}</Table.Td>
        <Table.Td ta="end">{formatNumber(meter.included, language)}</Table.Td>
        <Table.Td ta="end">{formatNumber(meter.billable, language)}</Table.Td>
        <Table.Td ta="end" data-testid="usage-amount">
          {money(meter.amount)}
        </Table.Td>
      </Table.Tr>
    );
  };
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        {t("usage.asOf", { time: formatDateTime(usage.as_of, language, timeZone) })}
      </Text>
      <Table.ScrollContainer minWidth={560} type="native">
        <Table verticalSpacing="xs" data-testid="usage-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("usage.meter")}</Table.Th>
              <Table.Th ta="end">{t("usage.used")}</Table.Th>
              <Table.Th ta="end">{t("usage.withinPlan")}</Table.Th>
              <Table.Th ta="end">{t("usage.billable")}</Table.Th>
              <Table.Th ta="end">{t("usage.amount")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {usage.meters.map((meter) => row(meter, meterName(meter.meter, t)))}
            {row(usage.seats, t("usage.seats"))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={4}>{t("usage.baseFee")}</Table.Th>
              <Table.Td ta="end">{money(usage.base_fee)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th colSpan={4}>{t("usage.estimate")}</Table.Th>
              <Table.Th ta="end" data-testid="usage-estimate">
                {money(usage.estimated_total)}
              </Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      {!usage.meters.length && (
        <Text size="sm" c="dimmed">
          {t("usage.noMeters")}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t("usage.estimateNote")}
      </Text>
    </Stack>
  );
}
