import { describe, expect, it } from "vitest";
import { EMPTY_LINE, entryProblem, type LineDraft, lineProblem, parseAmount, toLinesIn, totals } from "./lines";

const line = (account: string, debit = "", credit = "", description = ""): LineDraft => ({
  account,
  debit,
  credit,
  description,
});

describe("parseAmount", () => {
  it("reads major units as integer minor units", () => {
    expect(parseAmount("119")).toBe(11900);
    expect(parseAmount("119.5")).toBe(11950);
    expect(parseAmount("0.07")).toBe(7);
    expect(parseAmount(" 12. ")).toBe(1200);
  });

  it("reads Arabic-Indic digits and the Arabic decimal separator", () => {
    expect(parseAmount("١١٩٫٥٠")).toBe(11950);
  });

  it("takes a blank box as nothing and refuses what is not an amount", () => {
    expect(parseAmount("")).toBe(0);
    expect(parseAmount("-5")).toBeNull();
    expect(parseAmount("1.234")).toBeNull();
    expect(parseAmount("ten")).toBeNull();
    expect(parseAmount("99999999999999999")).toBeNull();
  });
});

describe("the balance check", () => {
  it("totals debits and credits and gives their difference", () => {
    expect(totals([line("1000", "119"), line("4000", "", "100"), line("2200", "", "19")])).toEqual({
      debit: 11900,
      credit: 11900,
      difference: 0,
    });
    expect(totals([line("1000", "100"), line("4000", "", "90")]).difference).toBe(1000);
  });

  it("refuses an unbalanced entry, as the server does", () => {
    expect(entryProblem([line("1000", "100"), line("4000", "", "90")])).toBe("unbalanced");
    expect(entryProblem([line("1000", "100"), line("4000", "", "100")])).toBeNull();
  });

  it("needs two filled lines, and ignores wholly blank ones", () => {
    expect(entryProblem([line("1000", "100"), EMPTY_LINE])).toBe("noLines");
    expect(entryProblem([line("1000", "5"), EMPTY_LINE, line("4000", "", "5")])).toBeNull();
  });

  it("names what is wrong with a line", () => {
    expect(lineProblem(line("1000", "5", "5"))).toBe("oneSide");
    expect(lineProblem(line("1000"))).toBe("noAmount");
    expect(lineProblem(line("", "5"))).toBe("account");
    expect(lineProblem(line("1000", "5x"))).toBe("amount");
    expect(lineProblem(EMPTY_LINE)).toBeNull();
    expect(entryProblem([line("1000", "5", "5"), line("4000", "", "5")])).toBe("lines");
  });

  it("sends the filled lines as minor units, trimmed", () => {
    expect(toLinesIn([line(" 1000 ", "1.5", "", " cash "), EMPTY_LINE, line("4000", "", "1.50")])).toEqual([
      { account: "1000", debit: 150, credit: 0, description: "cash" },
      { account: "4000", debit: 0, credit: 150, description: "" },
    ]);
  });
});
