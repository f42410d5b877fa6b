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

// Two minor digits unless the book's currency says otherwise (its settings' currency_digits: bookMoney.ts).
export const MINOR_DIGITS = 2;
const LARGEST = 2 ** 62;

// Arabic-Indic digits and the Arabic decimal separator, as an Arabic keyboard types them.
const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

function westernDigits(text: string): string {
  return text.replace(/[٠-٩]/g, (digit) => String(ARABIC_DIGITS.indexOf(digit))).replace(/[٫,]/g, ".");
}

/**
 * An amount typed in major units ("119", "119.5", "١١٩٫٥٠") as minor units (11950); 0 when blank;
 * null when it is not an amount (letters, a sign, more decimals than the currency has, too large).
 * `digits` is the currency's minor digits (the book's settings say; two unless given).
 */
export function parseAmount(text: string, digits: number = MINOR_DIGITS): number | null {
  const written = westernDigits(text.trim());
  if (written === "") return 0;
  const match = new RegExp(`^(\\d{1,17})(?:\\.(\\d{0,${digits}}))?$`).exec(written);
  if (!match) return null;
  const minor = Number(match[1]) * 10 ** digits + Number((match[2] ?? "").padEnd(digits, "0"));
  return Number.isSafeInteger(minor) && minor <= LARGEST ? minor : null;
}

export interface Totals {
  debit: number;
  credit: number;
  /** Debits less credits: zero when the entry balances. */
  difference: number;
}

/** The lines' debits and credits, unreadable amounts counted as nothing (they are reported as problems). */
export function totals(lines: LineDraft[], digits: number = MINOR_DIGITS): Totals {
  let debit = 0;
  let credit = 0;
  for (const line of lines) {
    debit += parseAmount(line.debit, digits) ?? 0;
    credit += parseAmount(line.credit, digits) ?? 0;
  }
  return { debit, credit, difference: debit - credit };
}

export type LineProblem = "account" | "amount" | "oneSide" | "noAmount";

/** What is wrong with one line (null when nothing). A line left wholly blank is ignored, not a problem. */
export function lineProblem(line: LineDraft, digits: number = MINOR_DIGITS): LineProblem | null {
  if (isBlank(line)) return null;
  const debit = parseAmount(line.debit, digits);
  const credit = parseAmount(line.credit, digits);
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
export function entryProblem(lines: LineDraft[], digits: number = MINOR_DIGITS): EntryProblem | null {
  const filled = lines.filter((line) => !isBlank(line));
  if (filled.length < 2) return "noLines";
  if (filled.some((line) => lineProblem(line, digits) !== null)) return "lines";
  if (totals(filled, digits).difference !== 0) return "unbalanced";
  return null;
}

/** The filled lines as the API takes them; call only when entryProblem is null. */
export function toLinesIn(lines: LineDraft[], digits: number = MINOR_DIGITS): LineIn[] {
  return lines
    .filter((line) => !isBlank(line))
    .map((line) => ({
      account: line.account.trim(),
      debit: parseAmount(line.debit, digits) ?? 0,
      credit: parseAmount(line.credit, digits) ?? 0,
      description: line.description.trim(),
    }));
}
