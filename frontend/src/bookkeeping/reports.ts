/**
 * The books' reports as the screens show them: which there are, the query each one takes, and each
 * report's JSON laid out as one table (section headings, account rows, totals), so a single table
 * component shows any of them. Amounts stay minor units here; the table formats them for the reader.
 */
import type { Schemas } from "../api/client";
import { localeOf } from "../lib/format";
import { MINOR_DIGITS } from "./lines";

export const REPORTS = ["trial-balance", "profit-and-loss", "balance-sheet", "general-ledger", "vat-return"] as const;
export type ReportKind = (typeof REPORTS)[number];
export const FILE_FORMATS = ["pdf", "xlsx", "csv"] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export function isReport(value: unknown): value is ReportKind {
  return REPORTS.includes(value as ReportKind);
}

/** The balance sheet stands at one date (`to`); the others cover a range. */
export function takesFrom(kind: ReportKind): boolean {
  return kind !== "balance-sheet";
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The report's query: only well-formed dates are sent (an empty box means "from the start" / "up to now"). */
export function reportQuery(kind: ReportKind, from: string, to: string): { from?: string; to?: string } {
  const query: { from?: string; to?: string } = {};
  if (takesFrom(kind) && ISO_DATE.test(from)) query.from = from;
  if (ISO_DATE.test(to)) query.to = to;
  return query;
}

/** The file's name as the server names it: report_from_to.format. */
export function reportFileName(kind: ReportKind, query: { from?: string; to?: string }, format: FileFormat): string {
  return [kind, query.from, query.to].filter(Boolean).join("_") + `.${format}`;
}

/** An amount in minor units in the reader's digits, with the books' two decimals. */
export function formatAmount(minor: number, language: string): string {
  return new Intl.NumberFormat(localeOf(language), {
    minimumFractionDigits: MINOR_DIGITS,
    maximumFractionDigits: MINOR_DIGITS,
  }).format(minor / 10 ** MINOR_DIGITS);
}

/** One line of a report table: a section heading, an account's row, or a total. */
export interface ReportRow {
  kind: "heading" | "row" | "total";
  /** A word key ("totalIncome") for headings, totals and figures; account rows have none. */
  label?: string;
  /** The account's code (or a general ledger line's entry number) and its name. */
  account?: string;
  name?: string;
  /** The date and entry number of a general ledger line. */
  detail?: string;
  /** Amounts by column key. */
  amounts: Record<string, number | null>;
}

export interface ReportTable {
  /** Amount column keys, in order. */
  columns: string[];
  rows: ReportRow[];
}

type TrialBalance = Schemas["TrialBalanceOut"];
type ProfitAndLoss = Schemas["ProfitAndLossOut"];
type BalanceSheet = Schemas["BalanceSheetOut"];
type GeneralLedger = Schemas["GeneralLedgerOut"];
type VatReturn = Schemas["VatReturnOut"];
export type ReportBody = TrialBalance | ProfitAndLoss | BalanceSheet | GeneralLedger | VatReturn;

function statementSection(heading: string, rows: Schemas["StatementRowOut"][], total: string, sum: number): ReportRow[] {
  return [
    { kind: "heading", label: heading, amounts: {} },
    ...rows.map((row): ReportRow => ({ kind: "row", account: row.account, name: row.name, amounts: { amount: row.amount } })),
    { kind: "total", label: total, amounts: { amount: sum } },
  ];
}

/** The report's JSON as one table. */
export function reportTable(kind: ReportKind, body: ReportBody): ReportTable {
  switch (kind) {
    case "trial-balance": {
      const report = body as TrialBalance;
      // Nothing posted: no rows, not a total of zeros.
      if (report.rows.length === 0) return { columns: ["debit", "credit", "balance"], rows: [] };
      return {
        columns: ["debit", "credit", "balance"],
        rows: [
          ...report.rows.map((row): ReportRow => ({
            kind: "row",
            account: row.account,
            name: row.name,
            amounts: { debit: row.debit, credit: row.credit, balance: row.balance },
          })),
          { kind: "total", label: "total", amounts: { debit: report.total_debit, credit: report.total_credit, balance: null } },
        ],
      };
    }
    case "profit-and-loss": {
      const report = body as ProfitAndLoss;
      return {
        columns: ["amount"],
        rows: [
          ...statementSection("income", report.income, "totalIncome", report.total_income),
          ...statementSection("expenses", report.expenses, "totalExpenses", report.total_expenses),
          { kind: "total", label: "netResult", amounts: { amount: report.net_result } },
        ],
      };
    }
    case "balance-sheet": {
      const report = body as BalanceSheet;
      return {
        columns: ["amount"],
        rows: [
          ...statementSection("assets", report.assets, "totalAssets", report.total_assets),
          ...statementSection("liabilities", report.liabilities, "totalLiabilities", report.total_liabilities),
          ...statementSection("equity", report.equity, "totalEquity", report.total_equity),
          { kind: "row", label: "result", amounts: { amount: report.result } },
          { kind: "total", label: "totalLiabilitiesAndEquity", amounts: { amount: report.total_liabilities_and_equity } },
        ],
      };
    }
    case "general-ledger": {
      const report = body as GeneralLedger;
      return {
        columns: ["debit", "credit", "balance"],
        rows: report.accounts.flatMap((account): ReportRow[] => [
          { kind: "heading", account: account.account, name: account.name, amounts: {} },
          { kind: "row", label: "opening", amounts: { debit: null, credit: null, balance: account.opening } },
          ...account.lines.map((line): ReportRow => ({
            kind: "row",
            account: line.entry,
            name: line.description || line.memo,
            detail: line.date,
            amounts: { debit: line.debit, credit: line.credit, balance: line.balance },
          })),
          { kind: "total", label: "closing", amounts: { debit: null, credit: null, balance: account.closing } },
        ]),
      };
    }
    case "vat-return": {
      const report = body as VatReturn;
      const figure = (label: string, amount: number, total = false): ReportRow => ({
        kind: total ? "total" : "row",
        label,
        amounts: { amount },
      });
      return {
        columns: ["amount"],
        rows: [
          figure("sales", report.sales),
          figure("purchases", report.purchases),
          figure("outputVat", report.output_vat),
          figure("inputVat", report.input_vat),
          figure("netVat", report.net_vat, true),
        ],
      };
    }
  }
}
