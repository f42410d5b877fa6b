import { describe, expect, it } from "vitest";
import { asciiDigits, checkRecord, checkValue, compareDecimals, compilePattern, type FieldDefinition } from "./validation";

const field = (settings: Partial<FieldDefinition> & Pick<FieldDefinition, "type">): FieldDefinition => ({ name: "f", ...settings });

describe("checkValue", () => {
  it("asks for a required value and lets an empty optional one pass", () => {
    expect(checkValue(field({ type: "text", required: true }), "  ")).toEqual({ code: "required" });
    expect(checkValue(field({ type: "integer" }), "")).toBeNull();
  });

  it("reads whole numbers in any script, with spaces, and refuses fractions", () => {
    const integer = field({ type: "integer" });
    expect(checkValue(integer, "1 200")).toBeNull();
    expect(checkValue(integer, "١٢٣")).toBeNull();
    expect(checkValue(integer, "-7")).toBeNull();
    expect(checkValue(integer, "12.5")).toEqual({ code: "notInteger", text: "12.5" });
    expect(checkValue(integer, "1".repeat(31))).toMatchObject({ code: "notInteger" });
  });

  it("reads a decimal with a point, or with a lone comma as the point", () => {
    const decimal = field({ type: "decimal" });
    expect(checkValue(decimal, "12.50")).toBeNull();
    expect(checkValue(decimal, "12,5")).toBeNull();
    expect(checkValue(decimal, ".5")).toBeNull();
    expect(checkValue(decimal, "1,200.5")).toEqual({ code: "notNumber", text: "1,200.5" });
    expect(checkValue(decimal, "1,2,3")).toMatchObject({ code: "notNumber" });
    expect(checkValue(decimal, "abc")).toMatchObject({ code: "notNumber" });
  });

  it("holds integers and decimals to their min and max exactly", () => {
    const age = field({ type: "integer", min: 0, max: 130 });
    expect(checkValue(age, "130")).toBeNull();
    expect(checkValue(age, "131")).toEqual({ code: "atMost", bound: "130" });
    expect(checkValue(age, "-1")).toEqual({ code: "atLeast", bound: "0" });
    const amount = field({ type: "decimal", min: "0.10", max: 99.99 });
    expect(checkValue(amount, "0,1")).toBeNull();
    expect(checkValue(amount, "0.099")).toEqual({ code: "atLeast", bound: "0.10" });
    expect(checkValue(amount, "99.991")).toEqual({ code: "atMost", bound: "99.99" });
  });

  it("takes real dates written YYYY-MM-DD (or an ISO week date) within their bounds", () => {
    const date = field({ type: "date", min: "2024-01-01", max: "2024-12-31" });
    expect(checkValue(date, "2024-02-29")).toBeNull();
    expect(checkValue(date, "٢٠٢٤-٠٣-٠١")).toBeNull();
    expect(checkValue(date, "2024-W10-5")).toBeNull();
    expect(checkValue(date, "2025-W01-1")).toBeNull(); // Monday 2024-12-30
    expect(checkValue(date, "2023-02-29")).toMatchObject({ code: "notDate" });
    expect(checkValue(date, "2024-02-30")).toMatchObject({ code: "notDate" });
    expect(checkValue(date, "20240101")).toMatchObject({ code: "notDate" });
    expect(checkValue(date, "01/02/2024")).toMatchObject({ code: "notDate" });
    expect(checkValue(date, "2023-12-31")).toEqual({ code: "atLeast", bound: "2024-01-01" });
    expect(checkValue(date, "2025-W02-1")).toEqual({ code: "atMost", bound: "2024-12-31" });
  });

  it("reads yes and no in the server's words, in any case", () => {
    const flag = field({ type: "boolean" });
    for (const word of ["Yes", "n", "1", "نعم", "لا", "Nein"]) expect(checkValue(flag, word)).toBeNull();
    expect(checkValue(flag, "maybe")).toEqual({ code: "notBoolean", text: "maybe" });
  });

  it("takes a choice in any case and lists the choices otherwise", () => {
    const size = field({ type: "choice", choices: ["Small", "Large"] });
    expect(checkValue(size, "small")).toBeNull();
    expect(checkValue(size, "medium")).toEqual({ code: "notChoice", text: "medium", choices: "Small, Large" });
  });

  it("checks an email address's shape", () => {
    const email = field({ type: "email" });
    expect(checkValue(email, "layla@Example.COM")).toBeNull();
    expect(checkValue(email, "layla@example")).toMatchObject({ code: "notEmail" });
    expect(checkValue(email, "layla at example.com")).toMatchObject({ code: "notEmail" });
    expect(checkValue(email, "a..b@example.com")).toMatchObject({ code: "notEmail" });
  });

  it("holds text to its length and pattern over the whole trimmed value", () => {
    const code = field({ type: "text", pattern: "[A-Z]{3}-\\d+", length: 8 });
    expect(checkValue(code, " ABC-12 ")).toBeNull();
    expect(checkValue(code, "ABC-١٢")).toBeNull(); // Python's \d takes any script's digits
    expect(checkValue(code, "xABC-12")).toEqual({ code: "notForm", text: "xABC-12" });
    expect(checkValue(code, "ABC-123456")).toEqual({ code: "longerThan", limit: 8 });
  });

  it("leaves phone numbers, IBANs and identifiers to the server", () => {
    expect(checkValue(field({ type: "iban" }), "not an iban")).toBeNull();
    expect(checkValue(field({ type: "national_id", country: "SA" }), "123")).toBeNull();
    expect(checkValue(field({ type: "phone", required: true }), "")).toEqual({ code: "required" });
  });

  it("refuses a value past the server's cell limit", () => {
    expect(checkValue(field({ type: "text" }), "x".repeat(10_001))).toEqual({ code: "tooLong", limit: 10_000 });
  });
});

describe("checkRecord", () => {
  it("names every field with a problem, missing values included", () => {
    const fields: FieldDefinition[] = [
      { name: "full_name", type: "text", required: true },
      { name: "age", type: "integer", min: 0 },
      { name: "note", type: "text" },
    ];
    expect(checkRecord(fields, { age: "-3", note: "fine" })).toEqual({
      full_name: { code: "required" },
      age: { code: "atLeast", bound: "0" },
    });
  });
});

describe("helpers", () => {
  it("reads digits of other scripts as ASCII digits", () => {
    expect(asciiDigits("٠١٢٣٤٥٦٧٨٩ ۰۱۹ 12")).toBe("0123456789 019 12");
  });

  it("compares decimals exactly, exponents included", () => {
    expect(compareDecimals("0.1", "0.10")).toBe(0);
    expect(compareDecimals("-1", "0")).toBe(-1);
    expect(compareDecimals("100000000000000000001", "1e20")).toBe(1);
    expect(compareDecimals("0.00001", "1e-05")).toBe(0);
  });

  it("gives up on a pattern JavaScript cannot read, leaving it to the server", () => {
    expect(compilePattern("(?P<x>a)")).toBeNull();
    expect(compilePattern("a|b")?.test("ab")).toBe(false);
  });
});
