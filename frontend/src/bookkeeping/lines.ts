/**
 * A journal entry's lines as the form holds them (text the bookkeeper types) and as the API takes
 * them (integer minor units). The form checks what the server checks before it is asked: every line
 * names an account and has either a debit or a credit, and the debits equal the credits.
 */
import type { Schemas } from "../api/client";

export type LineIn = Schemas["LineIn"];

export interface LineDraft {
  account: string;
  debit: string;
  credit: string;
  description: string;
}

export const EMPTY_LINE: LineDraft = { account: "", debit: "", credit: "", description: "" };

// The longest text the API takes in each box (bookkeeping/models.py); longer is refused there.
export const BOOKS_LIMITS = { code: 20, group: 120, memo: 2000, description: 500 } as const;

// The books keep two minor digits (the base currency's cents); the API carries no other scale.
export const MINOR_DIGITS = 2;
const LARGEST = 2 ** 62;

// Arabic-Indic digits and the Arabic decimal separator, as an Arabic keyboard types them.
const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

function westernDigits(text: string): string {
  return text.replace(/[٠-٩]/g, (digit) => String(ARABIC_DIGITS.indexOf(digit))).replace(/[٫,]/g, ".");
}

/**
 * An amount typed in major units ("119", "119.5", "١١٩٫٥٠") as minor units (11950); 0 when blank;
 * null when it is not an amount (letters, a sign, more than two decimals, too large).
 */
export function parseAmount(text: string): number | null {
  const written = westernDigits(text.trim());
  if (written === "") return 0;
  const match = /^(\d{1,17})(?:\.(\d{0,2}))?$/.exec(written);
  if (!match) return null;
  const minor = Number(match[1]) * 10 ** MINOR_DIGITS + Number((match[2] ?? "").padEnd(MINOR_DIGITS, "0"));
  return Number.isSafeInteger(minor) && minor <= LARGEST ? minor : null;
}

export interface Totals {
  debit: number;
  credit: number;
  /** Debits less credits: zero when the entry balances. */
  difference: number;
}

/** The lines' debits and credits, unreadable amounts counted as nothing (they are reported as problems). */
export function totals(lines: LineDraft[]): Totals {
  let debit = 0;
  let credit = 0;
  for (const line of lines) {
    debit += parseAmount(line.debit) ?? 0;
    credit += parseAmount(line.credit) ?? 0;
  }
  return { debit, credit, difference: debit - credit };
}

export type LineProblem = "account" | "amount" | "oneSide" | "noAmount";

/** What is wrong with one line (null when nothing). A line left wholly blank is ignored, not a problem. */
export function lineProblem(line: LineDraft): LineProblem | null {
  if (isBlank(line)) return null;
  const debit = parseAmount(line.debit);
  const credit = parseAmount(line.credit);
  if (debit === null || credit === null) return "amount";
  if (debit > 0 && credit > 0) return "oneSide";
  if (debit === 0 && credit === 0) return "noAmount";
  if (!line.account.trim()) return "account";
  return null;
}

export function isBlank(line: LineDraft): boolean {
  return !line.account.trim() && !line.debit.trim() && !line.credit.trim() && !line.description.trim();
}

export type EntryProblem = "noLines" | "lines" | "unbalanced";

/** Why the entry may not be sent yet (null when it may): the server refuses the same. */
export function entryProblem(lines: LineDraft[]): EntryProblem | null {
  const filled = lines.filter((line) => !isBlank(line));
  if (filled.length < 2) return "noLines";
  if (filled.some((line) => lineProblem(line) !== null)) return "lines";
  if (totals(filled).difference !== 0) return "unbalanced";
  return null;
}

/** The filled lines as the API takes them; call only when entryProblem is null. */
export function toLinesIn(lines: LineDraft[]): LineIn[] {
  return lines
    .filter((line) => !isBlank(line))
    .map((line) => ({
      account: line.account.trim(),
      debit: parseAmount(line.debit) ?? 0,
      credit: parseAmount(line.credit) ?? 0,
      description: line.description.trim(),
    }));
}
