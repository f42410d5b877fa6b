/**
 * Money as the API sends it: integer minor units with an ISO 4217 currency (29900 USD is 299.00),
 * and unit prices as decimal strings of major units ("1.50"). Written in the reader's language and
 * digits, always with the currency's own number of minor digits (ISO 4217, as billing/currencies.py:
 * none for JPY, three for KWD; Intl's defaults differ for a few, e.g. IQD).
 */
import { localeOf } from "../lib/format";

const MINOR_DIGITS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** Digits of the currency's minor unit (two unless listed). */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

function currencyFormat(currency: string, language: string, fractionDigits: number): Intl.NumberFormat {
  return new Intl.NumberFormat(localeOf(language), {
    style: "currency",
    currency,
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  });
}

/**
 * An amount in minor units: formatMoney(29900, "USD", "en") is "US$299.00". A caller whose server
 * states the currency's digits itself (the books' settings) passes them.
 */
export function formatMoney(minor: number, currency: string, language: string, digits = minorDigits(currency)): string {
  return currencyFormat(currency, language, digits).format(minor / 10 ** digits);
}

/**
 * A unit price written in major units ("0.80", "1.125"): the currency's digits, more when the price
 * has them (a fraction of a cent per unit is a real price and must not be rounded away).
 */
export function formatPrice(price: string, currency: string, language: string): string {
  const written = price.split(".")[1]?.replace(/0+$/, "").length ?? 0;
  return currencyFormat(currency, language, Math.max(minorDigits(currency), written)).format(Number(price));
}
