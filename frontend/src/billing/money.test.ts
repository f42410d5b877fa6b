import { describe, expect, it } from "vitest";
import { formatMoney, formatPrice, minorDigits } from "./money";

// Intl separates the symbol with a no-break space in some locales; compare on plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("minorDigits", () => {
  it("knows the currencies without cents and those with fils", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("kwd")).toBe(3);
  });
});

describe("formatMoney", () => {
  it("divides minor units by the currency's own power of ten", () => {
    expect(plain(formatMoney(29900, "USD", "en"))).toBe("US$299.00");
    expect(plain(formatMoney(1500, "JPY", "en"))).toBe("JP¥1,500");
    expect(plain(formatMoney(1234, "KWD", "en"))).toBe("KWD 1.234");
  });

  it("writes IQD with three digits as ISO 4217 says, not Intl's none", () => {
    expect(plain(formatMoney(2500, "IQD", "en"))).toBe("IQD 2.500");
  });

  it("keeps a negative amount negative", () => {
    expect(plain(formatMoney(-150, "EUR", "en"))).toBe("-€1.50");
  });

  it("writes Arabic-Indic digits in Arabic", () => {
    expect(formatMoney(29900, "USD", "ar")).toContain("٢٩٩٫٠٠");
  });
});

describe("formatPrice", () => {
  it("shows a decimal price with the currency's digits", () => {
    expect(plain(formatPrice("1.5", "USD", "en"))).toBe("US$1.50");
    expect(plain(formatPrice("900.00", "USD", "en"))).toBe("US$900.00");
  });

  it("keeps the digits of a price finer than the minor unit", () => {
    expect(plain(formatPrice("0.125", "USD", "en"))).toBe("US$0.125");
  });
});
