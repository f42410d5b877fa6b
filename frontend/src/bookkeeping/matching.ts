/**
 * Reading the reconciliation for people: each statement line's status, why a suggestion was made,
 * and a hand-picked set of journal lines (one statement line paid several invoices) with what is
 * still missing. The API suggests only exact amounts (bookkeeping/reconciliation.py): the reasons
 * spell out what else agrees (the date, the reference, the counterparty, the text).
 */
import type { Schemas } from "../api/client";

export type StatementLine = Schemas["StatementLineOut"];
export type Suggestion = Schemas["SuggestionOut"];
export type SuggestedLine = Schemas["SuggestedLineOut"];
export type OpenLine = Schemas["ReconciliationLineOut"];
export type LineStatus = "unmatched" | "suggested" | "matched";

export function statusOf(line: StatementLine, suggestions: Suggestion[]): LineStatus {
  if (line.reconciled) return "matched";
  return suggestions.length ? "suggested" : "unmatched";
}

export type Reason =
  | { kind: "amount"; parts: number }
  | { kind: "date"; days: number }
  | { kind: "reference" }
  | { kind: "counterparty" }
  | { kind: "text"; percent: number };

const contains = (haystack: string, needle: string) =>
  needle.trim().length > 1 && haystack.toLowerCase().includes(needle.trim().toLowerCase());

/** Why the API suggested these journal lines for this statement line, strongest first. */
export function reasonsFor(line: StatementLine, suggestion: Suggestion): Reason[] {
  const text = suggestion.lines.map((part) => part.text).join(" ");
  const reasons: Reason[] = [{ kind: "amount", parts: suggestion.lines.length }, { kind: "date", days: suggestion.days_apart }];
  if (contains(text, line.reference)) reasons.push({ kind: "reference" });
  if (contains(text, line.counterparty)) reasons.push({ kind: "counterparty" });
  const percent = Math.round(suggestion.similarity * 100);
  if (percent > 0 && !reasons.some((reason) => reason.kind === "reference")) reasons.push({ kind: "text", percent });
  return reasons;
}

export const refOf = (part: SuggestedLine) => `${part.entry_id}#${part.line_number}`;

/**
 * Every journal line any suggestion names, and any other unmatched line the server lists near the
 * statement date (`more`), once each, by date: what a bookkeeper can pick from by hand.
 */
export function candidatesOf(suggestions: Suggestion[], more: SuggestedLine[] = []): SuggestedLine[] {
  const seen = new Map<string, SuggestedLine>();
  for (const suggestion of suggestions) for (const part of suggestion.lines) seen.set(refOf(part), part);
  for (const part of more) seen.set(refOf(part), part);
  return [...seen.values()].sort((a, b) => a.date.localeCompare(b.date) || refOf(a).localeCompare(refOf(b)));
}

/** The days `around` either side of a date (YYYY-MM-DD), as the API's `from` and `to`. */
export function datesAround(day: string, around: number): { from: string; to: string } {
  const at = Date.parse(`${day}T00:00:00Z`);
  const shift = (days: number) => new Date(at + days * 86_400_000).toISOString().slice(0, 10);
  return { from: shift(-around), to: shift(around) };
}

/** The picked lines' total and what is left to match (0: they make the statement line's amount exactly). */
export function pickedTotals(line: StatementLine, picked: SuggestedLine[]): { total: number; left: number } {
  const total = picked.reduce((sum, part) => sum + part.amount, 0);
  return { total, left: line.amount - total };
}

/** The match as the API takes it. */
export function matchBody(line: StatementLine, parts: SuggestedLine[]): Schemas["MatchIn"] {
  return {
    statement_line_id: line.id,
    journal_lines: parts.map((part) => ({ entry_id: part.entry_id, line_number: part.line_number })),
  };
}

export type LineFilter = "all" | "unmatched";

/** The lines a filter shows: "unmatched" keeps those with no match and no suggestion; "all" keeps every one. */
export function filtered<T extends { status: LineStatus }>(rows: T[], filter: LineFilter): T[] {
  return filter === "all" ? rows : rows.filter((row) => row.status === "unmatched");
}
