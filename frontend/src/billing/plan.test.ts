import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import "./i18n";
import { NS } from "./i18n";
import {
  includedUsed,
  lastDayOf,
  type MeterPrice,
  meterName,
  type Plan,
  planChoices,
  planName,
  priceInWords,
  usageMonths,
} from "./plan";

const en = i18n.getFixedT("en", NS);
const ar = i18n.getFixedT("ar", NS);
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

const meter = (fields: Partial<MeterPrice>): MeterPrice => ({
  code: "support.tickets",
  aggregation: "sum",
  included: 200,
  model: "per_unit",
  ...fields,
});

describe("planName", () => {
  it("names a catalog plan in the reader's language, another by the server's name", () => {
    expect(planName({ code: "growth", name: "Growth" }, ar)).toBe("النمو");
    expect(planName({ code: "bespoke", name: "Bespoke" }, ar)).toBe("Bespoke");
  });
});

describe("meterName", () => {
  it("names a known meter in the reader's language", () => {
    expect(meterName("support.tickets", en)).toBe("Support tickets");
    expect(meterName("support.tickets", ar)).toBe("تذاكر الدعم");
  });

  it("falls back to the code for a meter it does not know", () => {
    expect(meterName("legal.contracts", en)).toBe("legal.contracts");
  });
});

describe("priceInWords", () => {
  it("says a per-unit price", () => {
    expect(plain(priceInWords(meter({ unit_price: "1.50" }), "USD", en, "en"))).toBe(
      "US$1.50 each beyond what is included",
    );
  });

  it("says a package's price and size", () => {
    const package_ = meter({ model: "package", package_size: 500, package_price: "900.00" });
    expect(plain(priceInWords(package_, "USD", en, "en"))).toBe(
      "US$900.00 per started package of 500 beyond what is included",
    );
  });

  it("lists graduated tiers, the last one open-ended", () => {
    const tiers = [
      { up_to: 4000, unit_price: "1.20" },
      { up_to: null, unit_price: "0.90" },
    ];
    expect(plain(priceInWords(meter({ model: "graduated", tiers }), "USD", en, "en"))).toBe(
      "Graduated: each unit at the price of its tier (up to 4,000: US$1.20 each; above that: US$0.90 each)",
    );
  });

  it("says volume pricing in Arabic with Arabic digits", () => {
    const tiers = [
      { up_to: 1000, unit_price: "3.00" },
      { up_to: null, unit_price: "2.00" },
    ];
    const words = priceInWords(meter({ model: "volume", tiers }), "USD", ar, "ar");
    expect(words).toContain("حسب الحجم");
    expect(words).toContain("١٬٠٠٠");
    expect(words).toContain("؛ ");
  });

  it("names a model it cannot describe rather than inventing a price", () => {
    expect(priceInWords(meter({ model: "per_unit" }), "USD", en, "en")).toBe("Priced as per_unit");
  });
});

describe("usageMonths", () => {
  const now = new Date("2026-12-05T10:00:00Z");

  it("offers this month back to the month the subscription started, newest first", () => {
    expect(usageMonths("2026-09-14T08:00:00Z", "UTC", 12, now)).toEqual(["2026-12", "2026-11", "2026-10", "2026-09"]);
  });

  it("stops at the count for an older subscription", () => {
    expect(usageMonths("2020-01-01T00:00:00Z", "UTC", 3, now)).toEqual(["2026-12", "2026-11", "2026-10"]);
  });

  it("reads both months in the tenant's time zone", () => {
    // 30 Nov 22:00 UTC is already 1 December in Riyadh: the subscription started in December there.
    const lateNovember = new Date("2026-11-30T22:00:00Z");
    expect(usageMonths("2026-11-30T21:30:00Z", "Asia/Riyadh", 12, lateNovember)).toEqual(["2026-12"]);
    expect(usageMonths("2026-11-30T21:30:00Z", "UTC", 12, lateNovember)).toEqual(["2026-11"]);
  });
});

describe("includedUsed", () => {
  it("is the share of the included units used, capped at 100", () => {
    expect(includedUsed(50, 200)).toBe(25);
    expect(includedUsed(900, 200)).toBe(100);
  });

  it("is null when nothing is included", () => {
    expect(includedUsed(5, 0)).toBeNull();
  });
});

describe("lastDayOf", () => {
  it("is the moment before the exclusive end", () => {
    expect(lastDayOf("2027-01-01T00:00:00Z")).toBe("2026-12-31T23:59:59.999Z");
  });
});

describe("planChoices", () => {
  const plan = (code: string, name: string, base_fee: number): Plan =>
    ({ code, name, base_fee, currency: "USD", interval: "month", services: [], meters: [] }) as unknown as Plan;

  it("offers the plans in catalog order, each named with its base fee a month", () => {
    const plans = [plan("enterprise", "Enterprise", 399900), plan("starter", "Starter", 29900)];

    const choices = planChoices(plans, en, "en");

    expect(choices.map((choice) => choice.code)).toEqual(["starter", "enterprise"]);
    expect(plain(choices[0].price)).toBe("US$299.00 a month");
    expect(planChoices(plans, ar, "ar")[0].name).toBe("الأساسية");
  });
});
