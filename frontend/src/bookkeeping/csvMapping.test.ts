import { describe, expect, it } from "vitest";
import { draftFor, formatOf, guessDelimiter, headerOf, isCsv, mappingProblem, savedFits, toMapping } from "./csvMapping";

describe("isCsv", () => {
  it("tells OFX and CAMT.053 from CSV by content first, then by the file name", () => {
    expect(isCsv("statement.csv", "Date,Amount\n2026-03-01,5")).toBe(true);
    expect(isCsv("statement.csv", "\uFEFF  OFXHEADER:100")).toBe(false);
    expect(isCsv("export.txt", '<?xml version="1.0"?><Document>')).toBe(false);
    expect(isCsv("march.ofx", "Date,Amount")).toBe(false);
    expect(isCsv("march.XML", "Date,Amount")).toBe(false);
    expect(formatOf("statement.csv", "<OFX><STMTTRN>")).toBe("ofx");
    expect(formatOf("statement.txt", "  <?xml?>")).toBe("camt053");
  });
});

describe("headerOf", () => {
  it("splits the first line on its most frequent delimiter and drops quotes and blanks", () => {
    expect(headerOf('\uFEFF"Date";"Amount";"Payee, name";\r\n2026-03-01;5;x;')).toEqual(["Date", "Amount", "Payee, name"]);
    expect(headerOf("Date\tValue\tRef")).toEqual(["Date", "Value", "Ref"]);
    expect(headerOf('"Say ""hi""",B')).toEqual(['Say "hi"', "B"]);
  });

  it("guesses a comma when the header has no delimiter at all", () => {
    expect(guessDelimiter("Date")).toBe(",");
    expect(guessDelimiter("a|b|c,d")).toBe("|");
  });
});

describe("draftFor", () => {
  const header = ["Booking date", "Details", "Ref", "Payee", "Amount"];

  it("guesses the usual column names, each column once", () => {
    const draft = draftFor(header, null);
    expect(draft.mode).toBe("amount");
    expect(draft.columns).toMatchObject({
      date: "Booking date",
      amount: "Amount",
      reference: "Ref",
      counterparty: "Payee",
      description: "Details",
      debit: "",
      credit: "",
    });
  });

  it("guesses debit and credit columns when there is no amount, in Arabic too", () => {
    const draft = draftFor(["التاريخ", "مدين", "دائن", "البيان"], null);
    expect(draft.mode).toBe("debitCredit");
    expect(draft.columns).toMatchObject({ date: "التاريخ", debit: "مدين", credit: "دائن", description: "البيان" });
  });

  it("preselects the saved mapping while its columns are still in the header", () => {
    const saved = { date: "Ref", amount: "Amount", date_format: "%d/%m/%Y", decimal_separator: "," as const };
    const draft = draftFor(header, saved);
    expect(draft.columns.date).toBe("Ref");
    expect(draft.dateFormat).toBe("%d/%m/%Y");
    expect(draft.decimalSeparator).toBe(",");
    expect(savedFits({ ...saved, reference: "Gone" }, header)).toBe(false);
    expect(draftFor(header, { ...saved, reference: "Gone" }).columns.date).toBe("Booking date");
  });
});

describe("mappingProblem and toMapping", () => {
  const base = draftFor(["Date", "Debit", "Credit", "Ref"], null);

  it("needs a date, the amount column(s) of the mode, and no column twice", () => {
    expect(mappingProblem(base)).toBeNull();
    expect(mappingProblem({ ...base, columns: { ...base.columns, date: "" } })).toBe("date");
    expect(mappingProblem({ ...base, columns: { ...base.columns, credit: "" } })).toBe("debitCredit");
    expect(mappingProblem({ ...base, mode: "amount" })).toBe("amount");
    expect(mappingProblem({ ...base, columns: { ...base.columns, reference: "Debit" } })).toBe("twice");
  });

  it("sends only the chosen mode's amount fields and no empty names", () => {
    expect(toMapping(base)).toEqual({
      date: "Date",
      debit: "Debit",
      credit: "Credit",
      reference: "Ref",
      date_format: "%Y-%m-%d",
      decimal_separator: ".",
    });
    const withAmount = { ...base, mode: "amount" as const, columns: { ...base.columns, amount: "Debit", credit: "" } };
    expect(toMapping(withAmount)).toEqual({
      date: "Date",
      amount: "Debit",
      reference: "Ref",
      date_format: "%Y-%m-%d",
      decimal_separator: ".",
    });
  });
});
