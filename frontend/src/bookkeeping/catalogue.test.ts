import { describe, expect, it } from "vitest";
import ar from "../i18n/ar/bookkeeping.json";
import en from "../i18n/en/bookkeeping.json";
import { REPORTS, type ReportBody, type ReportKind, reportTable } from "./reports";

function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

const SMALL_REPORTS: Record<ReportKind, ReportBody> = {
  "trial-balance": {
    from: null, to: null, rows: [{ account: "1000", name: "Cash", debit: 0, credit: 0, balance: 0 }],
    total_debit: 0, total_credit: 0,
  },
  "profit-and-loss": { from: null, to: null, income: [], expenses: [], total_income: 0, total_expenses: 0, net_result: 0 },
  "balance-sheet": {
    to: null, assets: [], liabilities: [], equity: [], result: 0, total_assets: 0, total_liabilities: 0,
    total_equity: 0, total_liabilities_and_equity: 0,
  },
  "general-ledger": {
    from: null, to: null,
    accounts: [{ account: "1000", name: "Cash", opening: 0, closing: 0, lines: [] }],
  },
  "vat-return": { from: null, to: null, sales: 0, purchases: 0, output_vat: 0, input_vat: 0, net_vat: 0 },
};

describe("the bookkeeping catalogues", () => {
  it("say the same things in English and Arabic", () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
  });

  it("name every report, its columns and the headings and totals its table shows", () => {
    for (const kind of REPORTS) {
      expect(en.reports.kinds).toHaveProperty(kind);
      const table = reportTable(kind, SMALL_REPORTS[kind]);
      for (const column of table.columns) expect(en.reports.columns).toHaveProperty(column);
      for (const row of table.rows) if (row.label) expect(en.reports.labels).toHaveProperty(row.label);
    }
  });
});
