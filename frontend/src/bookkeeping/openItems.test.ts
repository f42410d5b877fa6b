import { describe, expect, it } from "vitest";
import ar from "../i18n/ar/bookitems.json";
import en from "../i18n/en/bookitems.json";
import { bookMoney } from "./bookMoney";
import { parseAmount } from "./lines";
import {
  allocationProblem,
  type ItemDraft,
  itemProblem,
  itemTotal,
  majorText,
  type OpenItem,
  paymentProblem,
  selectionProblem,
  tenantToday,
  toOpenItemIn,
  toPaymentIn,
} from "./openItems";

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

function item(fields: Partial<OpenItem> = {}): OpenItem {
  return {
    id: "i1", kind: "invoice", contact_id: "c1", contact: "Noor Trading", number: "INV-1", date: "2026-03-01",
    due_date: "2026-03-31", description: "", amount: 119000, open_amount: 119000, status: "open",
    entry_id: "e1", entry_number: "JE-2026-000001", ...fields,
  };
}

const draft = (fields: Partial<ItemDraft> = {}): ItemDraft => ({
  contact: "c1", number: "INV-1", date: "2026-03-01", dueDate: "", description: " March ",
  lines: [{ account: "4000", amount: "1000", description: "chairs" }, { account: "2200", amount: "190", description: "" }, { account: "", amount: "", description: "" }],
  ...fields,
});

describe("parseAmount in the book's digits", () => {
  it("reads three decimals for a dinar book and none for a yen book", () => {
    expect(parseAmount("1.250", 3)).toBe(1250);
    expect(parseAmount("1.25", 2)).toBe(125);
    expect(parseAmount("1.250", 2)).toBeNull();
    expect(parseAmount("1500", 0)).toBe(1500);
    expect(parseAmount("15.5", 0)).toBeNull();
  });
});

describe("an invoice or bill draft", () => {
  it("is ready when it has contact, number, date and lines, and goes out in minor units without blank lines", () => {
    expect(itemProblem(draft(), 2)).toBeNull();
    expect(itemTotal(draft().lines, 2)).toBe(119000);
    expect(toOpenItemIn(draft(), 2)).toEqual({
      contact: "c1", number: "INV-1", date: "2026-03-01", due_date: null, description: "March",
      lines: [{ account: "4000", amount: 100000, description: "chairs" }, { account: "2200", amount: 19000, description: "" }],
    });
  });

  it("names the first thing missing, as the server would refuse it", () => {
    expect(itemProblem(draft({ contact: null }), 2)).toBe("contact");
    expect(itemProblem(draft({ number: "  " }), 2)).toBe("number");
    expect(itemProblem(draft({ dueDate: "2026-02-01" }), 2)).toBe("dueDate");
    expect(itemProblem(draft({ lines: [{ account: "", amount: "", description: "" }] }), 2)).toBe("noLines");
    expect(itemProblem(draft({ lines: [{ account: "4000", amount: "0", description: "" }] }), 2)).toBe("lines");
    expect(itemProblem(draft({ lines: [{ account: "", amount: "10", description: "" }] }), 2)).toBe("lines");
  });
});

describe("choosing items for one payment", () => {
  it("takes payable items of one contact only", () => {
    expect(selectionProblem([])).toBe("none");
    expect(selectionProblem([item(), item({ id: "i2", status: "partially_paid", open_amount: 50 })])).toBeNull();
    expect(selectionProblem([item(), item({ id: "i2", contact_id: "c2" })])).toBe("contacts");
    expect(selectionProblem([item({ status: "pending_approval" })])).toBe("notPayable");
    expect(selectionProblem([item({ status: "paid", open_amount: 0 })])).toBe("notPayable");
  });

  it("refuses more than an item has open, and sends each allocation in minor units", () => {
    const items = [item(), item({ id: "i2", number: "INV-2", open_amount: 5000 })];
    expect(allocationProblem("1190.01", items[0], 2)).toBe("tooMuch");
    expect(allocationProblem("-1", items[0], 2)).toBe("amount");
    const payment = { date: "2026-03-20", account: " 1010 ", reference: "", amounts: { i1: majorText(119000, 2), i2: "20" } };
    expect(payment.amounts.i1).toBe("1190.00");
    expect(paymentProblem(payment, items, 2)).toBeNull();
    expect(paymentProblem({ ...payment, account: "" }, items, 2)).toBe("account");
    expect(paymentProblem({ ...payment, amounts: { i1: "1", i2: "60" } }, items, 2)).toBe("allocations");
    expect(toPaymentIn(payment, items, 2)).toEqual({
      date: "2026-03-20", account: "1010", reference: "",
      allocations: [{ item: "i1", amount: 119000 }, { item: "i2", amount: 2000 }],
    });
  });
});

describe("the book's money", () => {
  it("writes amounts in the book's currency with the digits the server states", () => {
    const settings = { chart: "ifrs_sme", base_currency: "KWD", fiscal_year_start: 1, approval_threshold: 0, currency_digits: 3 };
    expect(plain(bookMoney(settings, "en").format(1250))).toBe("KWD 1.250");
    expect(bookMoney(settings, "ar").format(1250)).toContain("١٫٢٥٠");
    expect(plain(bookMoney({ ...settings, base_currency: "USD", currency_digits: 2 }, "en").format(119050))).toBe("US$1,190.50");
  });

  it("writes plain amounts while the settings are not yet read", () => {
    const money = bookMoney(undefined, "en");
    expect(money.format(119050)).toBe("1,190.50");
    expect(money.digits).toBe(2);
  });

  it("dates today where the tenant works", () => {
    expect(tenantToday("Asia/Riyadh", new Date("2026-03-01T22:30:00Z"))).toBe("2026-03-02");
  });
});

describe("the contacts and items catalogue", () => {
  const keys = (tree: object, prefix = ""): string[] =>
    Object.entries(tree).flatMap(([key, value]) =>
      typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
    );

  it("says the same things in English and Arabic", () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
  });

  it("names every item status the API answers", () => {
    expect(Object.keys(en.items.statuses).sort()).toEqual(["paid", "partially_paid", "pending_approval", "open", "void"].sort());
  });
});
