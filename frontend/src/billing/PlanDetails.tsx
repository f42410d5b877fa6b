/** What a plan includes and costs: base fee, services, seats, each meter's included units and price in words. */
import { Badge, Group, List, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";
import { NS } from "./i18n";
import { formatMoney, formatPrice } from "./money";
import { meterKey, meterName, type Plan, priceInWords } from "./plan";

export function PlanDetails({ plan }: { plan: Plan }) {
  const { t, i18n } = useTranslation(NS);
  const { t: ta } = useTranslation("admin");
  const language = i18n.language;
  const money = (minor: number) => formatMoney(minor, plan.currency, language);
  return (
    <Stack gap="sm" data-testid="plan-details" data-plan={plan.code}>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" c="dimmed">
          {t("plan.baseFee")}
        </Text>
        <Text fw={600} data-testid="plan-base-fee">
          {t("plan.perInterval", {
            amount: money(plan.base_fee),
            interval: t(`plan.interval.${plan.interval}`, { defaultValue: plan.interval }),
          })}
        </Text>
        <Text size="sm" c="dimmed">
          · {plan.trial_days ? t("plan.trial", { days: formatNumber(plan.trial_days, language) }) : t("plan.noTrial")}
        </Text>
      </Group>
      <div>
        <Text size="sm" fw={500} mb={4}>
          {t("plan.services")}
        </Text>
        {plan.services.length ? (
          <Group gap={6} wrap="wrap" role="list" aria-label={t("plan.services")}>
            {plan.services.map((service) => (
              <Badge key={service} variant="light" role="listitem">
                {ta(`service.${service}`, { defaultValue: service })}
              </Badge>
            ))}
            {plan.custom_services && (
              <Badge variant="outline" role="listitem">
                {t("plan.customServices")}
              </Badge>
            )}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t("plan.noServices")}
          </Text>
        )}
      </div>
      <div>
        <Text size="sm" fw={500}>
          {t("plan.seats")}
        </Text>
        <Text size="sm">
          {t("plan.seatsIncluded", {
            seats: formatNumber(plan.seats.included, language),
            price: formatPrice(plan.seats.unit_price, plan.currency, language),
          })}
        </Text>
      </div>
      <div>
        <Text size="sm" fw={500}>
          {t("plan.meters")}
        </Text>
        {plan.meters.length ? (
          <List size="sm" spacing={4}>
            {plan.meters.map((meter) => (
              <List.Item key={meter.code} data-meter={meter.code}>
                <Text span size="sm" fw={500}>
                  {meterName(meter.code, t)}
                </Text>
                {": "}
                {t("plan.included", {
                  count: formatNumber(meter.included, language),
                  unit: t(`meters.${meterKey(meter.code)}.unit`, { defaultValue: t("plan.units") }),
                })}
                {" · "}
                {priceInWords(meter, plan.currency, t, language)}
              </List.Item>
            ))}
          </List>
        ) : (
          <Text size="sm" c="dimmed">
            {t("plan.noMeters")}
          </Text>
        )}
      </div>
      <Text size="xs" c="dimmed">
        {t("plan.slaCredits", {
          percent: formatNumber(plan.sla_credits.percent_per_breach, language),
          cap: formatNumber(plan.sla_credits.cap_percent, language),
        })}
      </Text>
    </Stack>
  );
}
