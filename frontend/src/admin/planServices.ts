/**
 * What the tenant form offers follows the chosen plan (GET /api/v1/plans): the built-in services the
 * plan includes. A service already chosen that the plan lacks stays visible and is named as the
 * problem (rather than dropped without a word when the plan changes); the server refuses it too.
 */
import type { Schemas } from "../api/client";
import { PLANS, SERVICES } from "./catalog";

/** What the tenant form reads of a plan (its prices are billing's business, not the form's). */
export type Plan = Pick<Schemas["PlanOut"], "code" | "name" | "services" | "custom_services">;

/** Plans in the catalog's order (smallest first), any the catalog does not know after them. */
export function orderedPlans<T extends Plan>(plans: readonly T[]): T[] {
  const rank = (code: string) => {
    const index = (PLANS as readonly string[]).indexOf(code);
    return index < 0 ? PLANS.length : index;
  };
  return [...plans].sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
}

/** The services to offer: the plan's (every built-in one while plans are unknown), then any chosen outside it. */
export function serviceChoices(plan: Plan | undefined, selected: readonly string[]): string[] {
  const offered: string[] = plan ? SERVICES.filter((code) => plan.services.includes(code)) : [...SERVICES];
  return [...offered, ...selected.filter((code) => !offered.includes(code))];
}

/** Chosen services the plan does not include, in the order chosen; none while the plan is unknown. */
export function servicesOutsidePlan(plan: Plan | undefined, selected: readonly string[]): string[] {
  return plan ? selected.filter((code) => !plan.services.includes(code)) : [];
}
