import { describe, expect, it } from "vitest";
import { formatAmount, reportFileName, reportQuery, reportTable } from "./reports";

describe("report queries and files", () => {
  it("sends only well-formed dates, and no start for the balance sheet", () => {
    expect(reportQuery("trial-balance", "2026-03-01", "2026-03-31")).toEqual({ from: "2026-03-01", to: "2026-03-31" });
    expect(reportQuery("trial-balance", "", "2026-3-1")).toEqual({});
    expect(reportQuery("balance-sheet", "2026-03-01", "2026-03-31")).toEqual({ to: "2026-03-31" });
  });

  it("names the file as the server does", () => {
    expect(reportFileName("profit-and-loss", { from: "2026-03-01", to: "2026-03-31" }, "pdf")).toBe(
      "profit-and-loss_2026-03-01_2026-03-31.pdf",
    );
    expect(reportFileName("balance-sheet", {}, "csv")).toBe("balance-sheet.csv");
  });
});

describe("formatAmount", () => {
  it("writes minor units with two decimals in the reader's digits", () => {
    expect(formatAmount(1234567, "en")).toBe("12,345.67");
    expect(formatAmount(-500, "en")).toBe("-5.00");
    expect(formatAmount(11900, "ar")).toMatch(/^١١٩٫٠٠$/);
  });
});

describe("reportTable", () => {
  it("lays the profit and loss out as sections with their totals and the net result", () => {
    const table = reportTable("profit-and-loss", {
      from: null,
      to: null,
      income: [{ account: "4000", name: "Sales", group: null, amount: 10000 }],
      expenses: [{ account: "6000", name: "Rent", group: null, amount: 4000 }],
      total_income: 10000,
      total_expenses: 4000,
      net_result: 6000,
    });
    expect(table.columns).toEqual(["amount"]);
    expect(table.rows.map((row) => [row.kind, row.label ?? row.account, row.amounts.amount ?? null])).toEqual([
      ["heading", "income", null],
      ["row", "4000", 10000],
      ["total", "totalIncome", 10000],
      ["heading", "expenses", null],
      ["row", "6000", 4000],
      ["total", "totalExpenses", 4000],
      ["total", "netResult", 6000],
    ]);
  });

  it("shows nothing for a trial balance of no postings", () => {
    expect(reportTable("trial-balance", { from: null, to: null, rows: [], total_debit: 0, total_credit: 0 }).rows).toEqual([]);
  });

  it("ends the trial balance with the debit and credit totals", () => {
    const table = reportTable("trial-balance", {
      from: null,
      to: null,
      rows: [{ account: "1000", name: "Cash", debit: 500, credit: 0, balance: 500 }],
      total_debit: 500,
      total_credit: 500,
    });
    expect(table.rows.at(-1)).toEqual({ kind: "total", label: "total", amounts: { debit: 500, credit: 500, balance: null } });
  });
});
