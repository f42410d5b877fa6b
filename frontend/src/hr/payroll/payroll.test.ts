import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import {
  amountToMinor,
  basisChoices,
  componentBody,
  currentPeriod,
  draftOf,
  EMPTY_DRAFT,
  isBusy,
  isPeriod,
  linesByKind,
  moneyText,
  type PayComponent,
  type PayslipLine,
  payslipFileName,
  periodLabel,
  problemsOf,
  progressPercent,
  runActions,
} from "./payroll";

const progress = (employees: [number, number], documents: [number, number] = [0, 0]) => ({
  employees_done: employees[0],
  employees_total: employees[1],
  documents_done: documents[0],
  documents_total: documents[1],
});

describe("what a payroll run allows next", () => {
  it("reviews, recomputes and approves only a draft, finalizes only an approved run", () => {
    expect(runActions({ status: "draft", journal_entry_number: null }, false)).toEqual({
      recompute: true, review: true, approve: true, finalize: false, payFiles: false, post: false,
    }); // prettier-ignore
    expect(runActions({ status: "approved", journal_entry_number: null }, true)).toMatchObject({
      recompute: false, review: false, approve: false, finalize: true, payFiles: false, post: false,
    }); // prettier-ignore
    expect(runActions({ status: "failed", journal_entry_number: null }, true)).toMatchObject({ recompute: true, approve: false });
  });

  it("offers posting to the books only for a finalized run of a tenant that keeps books, once", () => {
    expect(runActions({ status: "finalized", journal_entry_number: null }, true)).toMatchObject({ payFiles: true, post: true });
    expect(runActions({ status: "finalized", journal_entry_number: null }, false).post).toBe(false);
    expect(runActions({ status: "finalized", journal_entry_number: "JE-2026-000004" }, true).post).toBe(false);
  });
});

describe("a run's background work", () => {
  it("is busy while computing and while a finalized run's PDFs are being made", () => {
    expect(isBusy({ status: "computing", progress: progress([1, 3]) })).toBe(true);
    expect(isBusy({ status: "draft", progress: progress([3, 3]) })).toBe(false);
    expect(isBusy({ status: "finalized", progress: progress([3, 3], [2, 6]) })).toBe(true);
    expect(isBusy({ status: "finalized", progress: progress([3, 3], [6, 6]) })).toBe(false);
  });

  it("measures employees while computing and documents once finalized", () => {
    expect(progressPercent({ status: "computing", progress: progress([1, 3]) })).toBe(33);
    expect(progressPercent({ status: "computing", progress: progress([0, 0]) })).toBe(0);
    expect(progressPercent({ status: "finalized", progress: progress([3, 3], [3, 6]) })).toBe(50);
    expect(progressPercent({ status: "draft", progress: progress([0, 0]) })).toBe(100);
  });
});

describe("periods", () => {
  it("names the current month and accepts only YYYY-MM", () => {
    expect(currentPeriod(new Date(2026, 10, 30))).toBe("2026-11");
    expect(currentPeriod(new Date(2026, 0, 1))).toBe("2026-01");
    expect(isPeriod("2026-11")).toBe(true);
    expect(isPeriod("2026-13")).toBe(false);
    expect(isPeriod("2026-1")).toBe(false);
  });

  it("names a period as the reader names a month", () => {
    expect(periodLabel("2026-11", "en")).toBe("November 2026");
    expect(periodLabel("2026-11", "ar")).toBe("نوفمبر ٢٠٢٦");
    expect(periodLabel("not-a-month", "en")).toBe("not-a-month");
  });
});

describe("the server's problems as sentences", () => {
  it("lists a component's problems by field", () => {
    const error = new ApiError(422, "The pay component has problems", { problems: { basis: "names no component: bonus" } });
    expect(problemsOf(error, "failed")).toEqual(["The pay component has problems", "basis: names no component: bonus"]);
  });

  it("names every employee without a bank account when a run cannot be finalized", () => {
    const error = new ApiError(422, "1 employee(s) have no bank account to pay into: E002", {
      employees: [{ employee_id: "x", employee_number: "E002", name: "Omar Haddad" }],
    });
    expect(problemsOf(error, "failed")).toEqual([
      "1 employee(s) have no bank account to pay into: E002",
      "E002 Omar Haddad",
    ]);
  });

  it("keeps a refusal's own words and falls back for errors without any", () => {
    const refusal = new ApiError(403, "The one who prepared the run cannot also approve it: another admin checks it");
    expect(problemsOf(refusal, "failed")).toEqual([refusal.message]);
    expect(problemsOf(new ApiError(400, "Bad", { problems: ["one", "two"] }), "failed")).toEqual(["Bad", "one", "two"]);
    expect(problemsOf(null, "failed")).toEqual(["failed"]);
  });
});

describe("money in payroll forms", () => {
  it("reads major units in the currency's own digits; zero is an amount", () => {
    expect(amountToMinor("1500.5", "SAR")).toBe(150050);
    expect(amountToMinor(12.345, "KWD")).toBe(12345);
    expect(amountToMinor(0, "SAR")).toBe(0);
    expect(amountToMinor("", "SAR")).toBeNull();
    expect(amountToMinor(-3, "SAR")).toBeNull();
    expect(amountToMinor(10, null)).toBe(1000);
  });

  it("writes money with the currency when known, in the reader's digits", () => {
    expect(moneyText(150050, "EUR", "en")).toBe("€1,500.50");
    expect(moneyText(150050, "EUR", "ar")).toMatch(/١٬?٥٠٠٫٥٠/);
    expect(moneyText(150050, null, "en")).toBe("1,500.50");
  });
});

const housing: PayComponent = {
  id: "c1", code: "housing", name: "Housing", name_ar: "بدل سكن", kind: "earning", calculation: "percent",
  amount: null, percent: "25", basis: ["base"], applies_to_all: true, hidden: false, active: true,
}; // prettier-ignore

describe("a component as the form edits it", () => {
  it("sends a fixed component's amount in minor units and no percent", () => {
    const body = componentBody({ ...EMPTY_DRAFT, code: " transport ", name: "Transport", amount: "500" }, "SAR");
    expect(body).toEqual({
      code: "transport", name: "Transport", name_ar: null, kind: "earning", calculation: "fixed",
      amount: 50000, basis: [], applies_to_all: true, hidden: false,
    }); // prettier-ignore
  });

  it("sends a percent component's percent (Arabic decimal comma read) and basis, no amount", () => {
    const body = componentBody(
      { ...EMPTY_DRAFT, code: "pension", name: "Pension", kind: "deduction", calculation: "percent", percent: "9٫75", basis: ["base", "housing"] },
      "SAR",
    );
    expect(body).toMatchObject({ calculation: "percent", percent: "9.75", basis: ["base", "housing"], kind: "deduction" });
    expect(body).not.toHaveProperty("amount");
  });

  it("round-trips an existing component", () => {
    const draft = draftOf(housing, "SAR");
    expect(draft).toMatchObject({ code: "housing", name_ar: "بدل سكن", percent: "25", basis: ["base"] });
    expect(componentBody(draft, "SAR")).toMatchObject({ percent: "25", basis: ["base"], name_ar: "بدل سكن" });
    const fixed = draftOf({ ...housing, calculation: "fixed", amount: 12345, percent: null, basis: [] }, "SAR");
    expect(fixed.amount).toBe(123.45);
  });

  it("lets a percent build on the salary and every other component but itself", () => {
    expect(basisChoices([{ code: "housing" }, { code: "pension" }], "pension")).toEqual(["base", "housing"]);
  });
});

describe("payslip lines", () => {
  const line = (code: string, kind: string): PayslipLine => ({
    code, name: code, name_ar: null, kind, amount: 1, hidden: false, adjusted: false,
  }); // prettier-ignore

  it("groups lines by kind in payslip order", () => {
    const groups = linesByKind([line("base", "earning"), line("pension", "deduction"), line("bonus", "earning"), line("gosi", "employer_contribution")]);
    expect(groups.earning.map((l) => l.code)).toEqual(["base", "bonus"]);
    expect(groups.deduction.map((l) => l.code)).toEqual(["pension"]);
    expect(groups.employer_contribution.map((l) => l.code)).toEqual(["gosi"]);
  });

  it("names a payslip's PDF by its number, or as a draft", () => {
    expect(payslipFileName({ number: "PS-2026-000001", employee_number: "E001" }, "2026-11", "ar")).toBe("PS-2026-000001-ar.pdf");
    expect(payslipFileName({ number: null, employee_number: "E001" }, "2026-11", "en")).toBe("draft-2026-11-E001-en.pdf");
  });
});
