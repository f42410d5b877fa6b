/**
 * A plan's prices in words, the months a subscription can show usage for, and how far a meter is
 * into its included units. Plain functions, so the screens stay thin and these stay tested.
 */
import type { TFunction } from "i18next";
import type { Schemas } from "../api/client";
import { formatNumber } from "../lib/format";
import { monthIn, monthsUpTo } from "../portal/months";
import { orderedPlans } from "../admin/planServices";
import { formatMoney, formatPrice } from "./money";

export type Plan = Schemas["PlanOut"];
export type MeterPrice = Schemas["MeterPriceOut"];
export type Usage = Schemas["UsageOut"];
export type MeterUsage = Schemas["MeterUsageOut"];

/** A meter's translation key: "support.tickets" → "support_tickets" (i18next reads dots as nesting). */
export function meterKey(code: string): string {
  return code.replace(/\./g, "_");
}

/** A plan's name in the reader's language (the admin screens' words for the catalog's plans), else the server's. */
export function planName(plan: Pick<Plan, "code" | "name">, t: TFunction): string {
  return t(`plan.${plan.code}`, { ns: "admin", defaultValue: plan.name });
}

/** The plans a tenant may move to, catalog order, each named and with its base fee ("$999.00 a month"). */
export function planChoices(
  plans: Plan[],
  t: TFunction,
  language: string,
): { code: string; name: string; price: string }[] {
  return orderedPlans(plans).map((plan) => ({
    code: plan.code,
    name: planName(plan, t),
    price: t("plan.perInterval", {
      amount: formatMoney(plan.base_fee, plan.currency, language),
      interval: t(`plan.interval.${plan.interval}`, { defaultValue: plan.interval }),
    }),
  }));
}

/** A meter's name in the reader's language, else its code. */
export function meterName(code: string, t: TFunction): string {
  return t(`meters.${meterKey(code)}.name`, { defaultValue: code });
}

/**
 * How a meter is priced beyond what is included, in one sentence: "US$1.50 each", "per started
 * package of 500: US$900.00", or its tiers ("up to 4,000: US$1.20 each; above: US$0.90 each"),
 * tiered as graduated (each unit at its tier) or volume (every unit at the total's tier).
 */
export function priceInWords(meter: MeterPrice, currency: string, t: TFunction, language: string): string {
  const price = (value: string) => formatPrice(value, currency, language);
  if (meter.model === "per_unit" && meter.unit_price) {
    return t("price.perUnit", { price: price(meter.unit_price) });
  }
  if (meter.model === "package" && meter.package_price && meter.package_size) {
    return t("price.package", { price: price(meter.package_price), size: formatNumber(meter.package_size, language) });
  }
  if ((meter.model === "graduated" || meter.model === "volume") && meter.tiers?.length) {
    const tiers = meter.tiers
      .map((tier) =>
        tier.up_to === null
          ? t("price.tierAbove", { price: price(tier.unit_price) })
          : t("price.tierUpTo", { upTo: formatNumber(tier.up_to, language), price: price(tier.unit_price) }),
      )
      .join(t("price.tierSeparator"));
    return t(`price.${meter.model}`, { tiers });
  }
  return t("price.unknown", { model: meter.model });
}

/**
 * The months whose usage can be asked for, newest first: the month it is now where the tenant works,
 * back to the month the subscription started, at most `count` of them.
 */
export function usageMonths(startedAt: string, timeZone: string, count: number, now: Date = new Date()): string[] {
  const first = monthIn(timeZone, new Date(startedAt));
  return monthsUpTo(monthIn(timeZone, now), count).filter((month) => month >= first);
}

/** How much of the plan's included units a meter has used, 0–100 (100 once it bills); null when none are included. */
export function includedUsed(quantity: number, included: number): number | null {
  if (included <= 0) return null;
  return Math.min(100, Math.round((quantity / included) * 100));
}

/** A period's last moment: the API's ends are exclusive (the next period's start), a reader's are the last day. */
export function lastDayOf(end: string): string {
  return new Date(new Date(end).getTime() - 1).toISOString();
}
