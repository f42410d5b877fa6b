import { describe, expect, it } from "vitest";
import { orderedPlans, type Plan, serviceChoices, servicesOutsidePlan } from "./planServices";

const starter: Plan = { code: "starter", name: "Starter", services: ["support", "data_entry"], custom_services: false };
const growth: Plan = {
  code: "growth",
  name: "Growth",
  services: ["data_entry", "bookkeeping", "hr", "support"],
  custom_services: true,
};
const bespoke: Plan = { code: "bespoke", name: "Bespoke", services: ["hr"], custom_services: true };

describe("the services the tenant form offers", () => {
  it("orders plans as the catalog does, unknown ones last", () => {
    expect(orderedPlans([bespoke, growth, starter]).map((plan) => plan.code)).toEqual(["starter", "growth", "bespoke"]);
  });

  it("offers only the chosen plan's services, in the catalog's order", () => {
    expect(serviceChoices(starter, [])).toEqual(["data_entry", "support"]);
    expect(serviceChoices(growth, [])).toEqual(["data_entry", "bookkeeping", "hr", "support"]);
  });

  it("keeps a chosen service the new plan lacks visible, and names it as outside the plan", () => {
    const chosen = ["hr", "support"];
    expect(serviceChoices(starter, chosen)).toEqual(["data_entry", "support", "hr"]);
    expect(servicesOutsidePlan(starter, chosen)).toEqual(["hr"]);
    expect(servicesOutsidePlan(growth, chosen)).toEqual([]);
  });

  it("offers every built-in service and refuses none while the plans have not loaded", () => {
    expect(serviceChoices(undefined, [])).toEqual(["data_entry", "bookkeeping", "hr", "support"]);
    expect(servicesOutsidePlan(undefined, ["hr"])).toEqual([]);
  });
});
