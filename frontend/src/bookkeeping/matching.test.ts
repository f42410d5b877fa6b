import { describe, expect, it } from "vitest";
import { candidatesOf, datesAround, filtered, matchBody, pickedTotals, reasonsFor, type StatementLine, statusOf, type SuggestedLine } from "./matching";

const line: StatementLine = {
  id: "s1",
  date: "2026-03-10",
  amount: 20000,
  description: "Invoices 7 and 8",
  reference: "INV-7",
  counterparty: "Acme Trading",
  reconciled: false,
};
const part = (entry: string, amount: number, date: string, text = ""): SuggestedLine => ({
  entry_id: entry,
  line_number: 1,
  entry_number: `JE-${entry}`,
  date,
  amount,
  text,
});

describe("statusOf", () => {
  it("reads matched, suggested or unmatched", () => {
    const suggestion = { lines: [part("a", 20000, "2026-03-10")], similarity: 0, days_apart: 0 };
    expect(statusOf({ ...line, reconciled: true }, [])).toBe("matched");
    expect(statusOf(line, [suggestion])).toBe("suggested");
    expect(statusOf(line, [])).toBe("unmatched");
  });
});

describe("reasonsFor", () => {
  it("names the amount, the date, and the reference and counterparty found in the entries' text", () => {
    const suggestion = {
      lines: [part("a", 12000, "2026-03-09", "INV-7 acme trading"), part("b", 8000, "2026-03-11", "INV-8")],
      similarity: 1,
      days_apart: 1,
    };
    expect(reasonsFor(line, suggestion)).toEqual([
      { kind: "amount", parts: 2 },
      { kind: "date", days: 1 },
      { kind: "reference" },
      { kind: "counterparty" },
    ]);
  });

  it("gives the text similarity when no reference is found, and nothing for an empty one", () => {
    const suggestion = { lines: [part("a", 20000, "2026-03-10", "March rent")], similarity: 0.42, days_apart: 0 };
    expect(reasonsFor({ ...line, reference: "" }, suggestion)).toEqual([
      { kind: "amount", parts: 1 },
      { kind: "date", days: 0 },
      { kind: "text", percent: 42 },
    ]);
  });
});

describe("picking journal lines by hand", () => {
  const a = part("a", 12000, "2026-03-11");
  const b = part("b", 8000, "2026-03-09");
  const suggestions = [
    { lines: [a, b], similarity: 0, days_apart: 1 },
    { lines: [b, part("c", 12000, "2026-03-12")], similarity: 0, days_apart: 2 },
  ];

  it("offers every suggested journal line once, by date", () => {
    expect(candidatesOf(suggestions).map((p) => p.entry_id)).toEqual(["b", "a", "c"]);
  });

  it("adds the server's other unmatched lines once, even one a suggestion names too", () => {
    const late = part("d", 12000, "2026-04-20");
    expect(candidatesOf(suggestions, [late, a]).map((p) => p.entry_id)).toEqual(["b", "a", "c", "d"]);
  });

  it("asks for the days either side of the statement date, across months and years", () => {
    expect(datesAround("2026-03-10", 31)).toEqual({ from: "2026-02-07", to: "2026-04-10" });
    expect(datesAround("2026-12-20", 31)).toEqual({ from: "2026-11-19", to: "2027-01-20" });
  });

  it("shows what is left to match, zero when the picked lines make the amount", () => {
    expect(pickedTotals(line, [a])).toEqual({ total: 12000, left: 8000 });
    expect(pickedTotals(line, [a, b])).toEqual({ total: 20000, left: 0 });
    expect(matchBody(line, [a, b])).toEqual({
      statement_line_id: "s1",
      journal_lines: [
        { entry_id: "a", line_number: 1 },
        { entry_id: "b", line_number: 1 },
      ],
    });
  });
});

describe("filtered", () => {
  it("keeps only lines with neither match nor suggestion when asked for unmatched", () => {
    const rows = [{ status: "matched" as const }, { status: "suggested" as const }, { status: "unmatched" as const }];
    expect(filtered(rows, "unmatched")).toEqual([{ status: "unmatched" }]);
    expect(filtered(rows, "all")).toHaveLength(3);
  });
});
