/**
 * What the payroll screens work out from the API's answers, kept apart from the screens so it can be
 * tested: which step a run is at and what may be done next, the server's problems as sentences, amounts
 * typed in major units as minor units, and a component written as the form edits it.
 */
import { ApiError, type Schemas } from "../../api/client";
import { toMinor } from "../../billing/invoices";
import { formatMoney, minorDigits } from "../../billing/money";
import { formatNumber, localeOf } from "../../lib/format";

export type PayrollRun = Schemas["PayrollRunOut"];
export type Payslip = Schemas["PayslipOut"];
export type PayslipLine = Schemas["PayslipLineOut"];
export type PayComponent = Schemas["PayComponentOut"];
export type PayComponentIn = Schemas["PayComponentIn"];

export const KINDS = ["earning", "deduction", "employer_contribution"] as const;
export type Kind = (typeof KINDS)[number];
export const BASE_CODE = "base"; // the employee's salary, built in (hr/payroll_models.py)

export const STATUS_COLOURS: Record<string, string> = {
  computing: "blue",
  failed: "red",
  draft: "yellow",
  approved: "teal",
  finalized: "green",
};

/** The steps of a run, in order: the run page shows where it is. */
export const STEPS = ["computing", "draft", "approved", "finalized"] as const;

export interface RunActions {
  recompute: boolean;
  review: boolean; // mark payslips reviewed, add or remove adjustments
  approve: boolean;
  finalize: boolean;
  payFiles: boolean; // payslip PDFs are final, the bank file can be made
  post: boolean;
}

/** What may be asked of a run in its state; the server decides who may (a preparer's approval is its 403). */
export function runActions(run: Pick<PayrollRun, "status" | "journal_entry_number">, keepsBooks: boolean): RunActions {
  const status = run.status;
  return {
    recompute: status === "draft" || status === "failed",
    review: status === "draft",
    approve: status === "draft",
    finalize: status === "approved",
    payFiles: status === "finalized",
    post: status === "finalized" && keepsBooks && !run.journal_entry_number,
  };
}

/** Whether the run is still being worked on in the background: its page polls until it is not. */
export function isBusy(run: Pick<PayrollRun, "status" | "progress">): boolean {
  if (run.status === "computing") return true;
  const { documents_total, documents_done } = run.progress;
  return run.status === "finalized" && documents_done < documents_total;
}

/** How far the background work has got, 0–100: employees while computing, payslip PDFs once final. */
export function progressPercent(run: Pick<PayrollRun, "status" | "progress">): number {
  const { employees_total, employees_done, documents_total, documents_done } = run.progress;
  const [done, total] = run.status === "finalized" ? [documents_done, documents_total] : [employees_done, employees_total];
  if (total <= 0) return run.status === "computing" ? 0 : 100;
  return Math.min(100, Math.round((100 * done) / total));
}

/** The month a new run is usually for: the current one, as YYYY-MM. */
export function currentPeriod(today: Date = new Date()): string {
  return `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}`;
}

/** A period (YYYY-MM) as the reader names a month: "November 2026", "نوفمبر ٢٠٢٦". */
export function periodLabel(period: string, language: string): string {
  if (!isPeriod(period)) return period;
  const [year, month] = period.split("-").map(Number);
  return new Intl.DateTimeFormat(localeOf(language), { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

export function isPeriod(text: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

/**
 * Every problem an API error carries, as sentences: its message, then each field's problem
 * (`extra.problems`, a list or a field → message map) and each employee it names (`extra.employees`,
 * e.g. those without a bank account when a run is finalized).
 */
export function problemsOf(error: unknown, fallback: string): string[] {
  if (!(error instanceof ApiError)) {
    return [error instanceof Error && error.message ? error.message : fallback];
  }
  const out = [error.message || fallback];
  const extra = (error.extra ?? {}) as { problems?: unknown; employees?: unknown };
  if (Array.isArray(extra.problems)) {
    out.push(...extra.problems.map(String));
  } else if (extra.problems && typeof extra.problems === "object") {
    for (const [field, problem] of Object.entries(extra.problems as Record<string, unknown>)) {
      out.push(`${field}: ${String(problem)}`);
    }
  }
  if (Array.isArray(extra.employees)) {
    for (const employee of extra.employees as { employee_number?: string; name?: string }[]) {
      out.push([employee.employee_number, employee.name].filter(Boolean).join(" "));
    }
  }
  return out;
}

/**
 * An amount in minor units as the reader writes money: with the currency when the payroll's currency is
 * known (from a run or the employees' salaries), else as a plain number with two decimals.
 */
export function moneyText(minor: number, currency: string | null | undefined, language: string): string {
  if (currency) return formatMoney(minor, currency, language);
  return formatNumber(minor / 100, language, 2);
}

/** A major-unit amount typed in a form as minor units of the currency; 0 is an amount; null when not one. */
export function amountToMinor(major: number | string, currency: string | null | undefined): number | null {
  if (major === "" || major === null || major === undefined) return null;
  if (Number(major) === 0) return 0;
  return toMinor(major, currency ? minorDigits(currency) : 2);
}

/** A number input's value as a form keeps it (Mantine may hand a bigint for very long numbers). */
export function inputNumber(value: number | string | bigint): number | string {
  return typeof value === "bigint" ? Number(value) : value;
}

/** Minor units back to the major-unit number a form shows. */
export function minorToAmount(minor: number | null | undefined, currency: string | null | undefined): number | "" {
  if (minor === null || minor === undefined) return "";
  return minor / 10 ** (currency ? minorDigits(currency) : 2);
}

/** A component as its form edits it (an amount in major units; a percent as typed). */
export interface ComponentDraft {
  code: string;
  name: string;
  name_ar: string;
  kind: Kind;
  calculation: "fixed" | "percent";
  amount: number | string;
  percent: string;
  basis: string[];
  applies_to_all: boolean;
  hidden: boolean;
}

export const EMPTY_DRAFT: ComponentDraft = {
  code: "",
  name: "",
  name_ar: "",
  kind: "earning",
  calculation: "fixed",
  amount: "",
  percent: "",
  basis: [BASE_CODE],
  applies_to_all: true,
  hidden: false,
};

export function draftOf(component: PayComponent, currency: string | null | undefined): ComponentDraft {
  return {
    code: component.code,
    name: component.name,
    name_ar: component.name_ar ?? "",
    kind: (KINDS as readonly string[]).includes(component.kind) ? (component.kind as Kind) : "earning",
    calculation: component.calculation === "percent" ? "percent" : "fixed",
    amount: minorToAmount(component.amount, currency),
    percent: component.percent ?? "",
    basis: component.basis.length ? component.basis : [BASE_CODE],
    applies_to_all: component.applies_to_all,
    hidden: component.hidden,
  };
}

/**
 * The request body for a draft: a fixed component sends its amount, a percent one its percent and basis
 * (the other fields left off, as the API wants). Problems the server finds come back by field.
 */
export function componentBody(draft: ComponentDraft, currency: string | null | undefined): PayComponentIn {
  const common = {
    code: draft.code.trim(),
    name: draft.name.trim(),
    name_ar: draft.name_ar.trim() || null,
    kind: draft.kind,
    applies_to_all: draft.applies_to_all,
    hidden: draft.hidden,
  };
  if (draft.calculation === "fixed") {
    return { ...common, calculation: "fixed", amount: amountToMinor(draft.amount, currency), basis: [] };
  }
  const percent = draft.percent.trim().replace(/[٫,]/g, ".");
  return { ...common, calculation: "percent", percent: percent || null, basis: draft.basis };
}

/** The codes a percent component may build on: the salary and every other component. */
export function basisChoices(components: Pick<PayComponent, "code">[], editing: string | null): string[] {
  return [BASE_CODE, ...components.map((component) => component.code).filter((code) => code !== editing)];
}

/** A payslip line's name in the reader's language (the Arabic one when the component has it). */
export function lineName(line: Pick<PayslipLine, "name" | "name_ar">, language: string): string {
  return language === "ar" && line.name_ar ? line.name_ar : line.name;
}

/** A payslip's lines by kind, in payslip order: earnings, then deductions, then the employer's costs. */
export function linesByKind(lines: PayslipLine[]): Record<Kind, PayslipLine[]> {
  const groups: Record<Kind, PayslipLine[]> = { earning: [], deduction: [], employer_contribution: [] };
  for (const line of lines) (groups[line.kind as Kind] ?? groups.earning).push(line);
  return groups;
}

/** The file name a payslip PDF is saved as. */
export function payslipFileName(payslip: Pick<Payslip, "number" | "employee_number">, period: string, language: string) {
  return `${payslip.number ?? `draft-${period}-${payslip.employee_number}`}-${language}.pdf`;
}
