/**
 * Pure rules the invoice screens share: which invoices can be paid, finalized or credited, what a
 * list of payment attempts says about an invoice now, and the aging buckets in their order.
 */
import type { Schemas } from "../api/client";

export type Invoice = Schemas["InvoiceOut"];
export type InvoicePayment = Schemas["InvoicePaymentOut"];
export type PaymentState = "none" | InvoicePayment["status"];
export type Bucket = Schemas["ReceivableOut"]["bucket"];

export const BUCKETS: readonly Bucket[] = ["current", "1-30", "31-60", "61-90", "90+"];

/** Only a finalized invoice with something still due is charged; a draft may still change. */
export function canPay(invoice: Invoice): boolean {
  return (invoice.status === "open" || invoice.status === "uncollectible") && invoice.amount_due > 0;
}

/** Credit notes and bank transfers apply to finalized invoices that are not void. */
export function canCredit(invoice: Invoice): boolean {
  return invoice.status === "open" || invoice.status === "uncollectible" || invoice.status === "paid";
}

/**
 * What the latest attempt says: a payment in flight is "processing" until Stripe says otherwise,
 * never guessed paid or failed. Attempts come newest first or in any order; the latest created wins.
 */
export function paymentState(payments: readonly InvoicePayment[]): PaymentState {
  if (!payments.length) return "none";
  const latest = payments.reduce((a, b) => (b.created_at > a.created_at ? b : a));
  return latest.status;
}

/** Amount due per bucket for one currency, zero where a bucket has no invoices, in bucket order. */
export function bucketAmounts(
  totals: readonly Schemas["BucketTotalOut"][],
  currency: string,
): { bucket: Bucket; amount: number; invoices: number }[] {
  return BUCKETS.map((bucket) => {
    const found = totals.find((total) => total.currency === currency && total.bucket === bucket);
    return { bucket, amount: found?.amount_due ?? 0, invoices: found?.invoices ?? 0 };
  });
}

/** The currencies that have receivables, each once, in the order the API lists them. */
export function currenciesOf(totals: readonly Schemas["BucketTotalOut"][]): string[] {
  return [...new Set(totals.map((total) => total.currency))];
}

/** A major-unit amount typed in a form, as minor units; null when it is not a positive amount. */
export function toMinor(major: number | string, digits: number): number | null {
  const value = typeof major === "number" ? major : Number(major);
  if (!Number.isFinite(value) || value <= 0) return null;
  return Math.round(value * 10 ** digits);
}
