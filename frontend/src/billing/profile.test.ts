import { describe, expect, it } from "vitest";
import { basisPoints, formOf, missingFields, requestOf } from "./profile";
import type { Profile } from "./queries";

const EMPTY: Profile = {
  legal_name: null,
  address: null,
  country: null,
  billing_email: null,
  tax_id: null,
  tax_rate_bp: 0,
  invoice_language: "en",
  updated_at: null,
};

describe("formOf", () => {
  it("starts an empty profile blank, invoicing in the reader's language", () => {
    const form = formOf(EMPTY, "ar");
    expect(form).toMatchObject({ legal_name: "", country: "", tax_rate: 0, invoice_language: "ar" });
    expect(missingFields(form)).toEqual(["legal_name", "address", "country", "billing_email"]);
  });

  it("shows a saved profile as saved, its tax rate in percent", () => {
    const saved = { ...EMPTY, legal_name: "Acme", tax_rate_bp: 1500, invoice_language: "en", updated_at: "2026-12-01T00:00:00Z" };
    expect(formOf(saved, "ar")).toMatchObject({ legal_name: "Acme", tax_rate: 15, invoice_language: "en" });
  });
});

describe("basisPoints", () => {
  it("turns a percentage into basis points", () => {
    expect(basisPoints(15)).toBe(1500);
    expect(basisPoints(7.5)).toBe(750);
    expect(basisPoints(0.07)).toBe(7);
    expect(basisPoints("")).toBe(0);
  });
});

describe("requestOf", () => {
  it("trims, upper-cases the country and sends no tax number when it is empty", () => {
    const request = requestOf({
      legal_name: " Acme GmbH ",
      address: "Hauptstraße 1\nBerlin ",
      country: "de",
      billing_email: " billing@acme.test ",
      tax_id: "  ",
      tax_rate: 19,
      invoice_language: "en",
    });
    expect(request).toEqual({
      legal_name: "Acme GmbH",
      address: "Hauptstraße 1\nBerlin",
      country: "DE",
      billing_email: "billing@acme.test",
      tax_id: null,
      tax_rate_bp: 1900,
      invoice_language: "en",
    });
  });
});
