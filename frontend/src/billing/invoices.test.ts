import { describe, expect, it } from "vitest";
import { bucketAmounts, canCredit, canPay, currenciesOf, type Invoice, type InvoicePayment, paymentState, toMinor } from "./invoices";

const invoice = (status: Invoice["status"], amount_due: number) => ({ status, amount_due }) as Invoice;
const attempt = (status: InvoicePayment["status"], created_at: string) => ({ status, created_at }) as InvoicePayment;

describe("invoice rules", () => {
  it("pays only finalized invoices with something due", () => {
    expect(canPay(invoice("open", 100))).toBe(true);
    expect(canPay(invoice("uncollectible", 100))).toBe(true);
    expect(canPay(invoice("open", 0))).toBe(false);
    expect(canPay(invoice("draft", 100))).toBe(false);
    expect(canPay(invoice("paid", 0))).toBe(false);
  });

  it("credits finalized invoices that are not void", () => {
    expect(["draft", "open", "paid", "void", "uncollectible"].map((s) => canCredit(invoice(s as Invoice["status"], 1)))).toEqual(
      [false, true, true, false, true],
    );
  });

  it("reads the latest payment attempt, whatever order they come in", () => {
    expect(paymentState([])).toBe("none");
    expect(paymentState([attempt("failed", "2026-11-02T10:00:00Z"), attempt("processing", "2026-11-03T10:00:00Z")])).toBe(
      "processing",
    );
    expect(paymentState([attempt("succeeded", "2026-11-04T10:00:00Z"), attempt("failed", "2026-11-02T10:00:00Z")])).toBe(
      "succeeded",
    );
  });

  it("lays out every bucket per currency, zero where empty", () => {
    const totals = [
      { currency: "USD", bucket: "31-60", invoices: 2, amount_due: 500 },
      { currency: "EUR", bucket: "90+", invoices: 1, amount_due: 70 },
    ] as const;
    expect(currenciesOf([...totals])).toEqual(["USD", "EUR"]);
    expect(bucketAmounts([...totals], "USD").map((b) => [b.bucket, b.amount])).toEqual([
      ["current", 0],
      ["1-30", 0],
      ["31-60", 500],
      ["61-90", 0],
      ["90+", 0],
    ]);
  });

  it("turns typed major units into minor units, refusing nothing and negatives", () => {
    expect(toMinor("12.34", 2)).toBe(1234);
    expect(toMinor(0.1 + 0.2, 2)).toBe(30);
    expect(toMinor("1.5", 3)).toBe(1500);
    expect(toMinor("0", 2)).toBeNull();
    expect(toMinor("-3", 2)).toBeNull();
    expect(toMinor("abc", 2)).toBeNull();
  });
});
