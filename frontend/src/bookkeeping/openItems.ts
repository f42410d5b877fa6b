/**
 * Invoices, bills and payments as the forms hold them (text typed in major units) and as the API
 * takes them (integer minor units of the book's currency). The forms check what the server checks
 * before asking it: an item has a contact, a number, a date and lines with accounts and amounts; a
 * payment settles open items of one contact, each by no more than it has open.
 */
import type { Schemas } from "../api/client";
import { parseAmount } from "./lines";

export type OpenItem = Schemas["OpenItemOut"];
export type ItemKind = OpenItem["kind"];
export type ItemStatus = OpenItem["status"];
export type Payment = Schemas["PaymentOut"];
export type Contact = Schemas["bookkeeping_contacts_schemas_ContactOut"];
export type ContactKind = Contact["kind"];

export const ITEM_KINDS: ItemKind[] = ["invoice", "bill"];
export const CONTACT_KINDS: ContactKind[] = ["customer", "vendor"];
export const AGING_BUCKETS = ["days_0_30", "days_31_60", "days_61_90", "days_over_90", "total"] as const;

// The longest text the API takes in each box (bookkeeping/contact_models.py).
export const ITEM_LIMITS = { name: 200, email: 320, taxId: 40, number: 60, reference: 200, memo: 2000, line: 500 } as const;

/** Today where the tenant works (YYYY-MM-DD), as the server dates things. */
export function tenantToday(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(now);
}

/** An invoice is a customer's, a bill a vendor's. */
export function contactKindOf(kind: ItemKind): ContactKind {
  return kind === "invoice" ? "customer" : "vendor";
}

export function isItemKind(value: unknown): value is ItemKind {
  return ITEM_KINDS.includes(value as ItemKind);
}

export interface ItemLineDraft {
  account: string;
  amount: string;
  description: string;
}

export interface ItemDraft {
  contact: string | null;
  number: string;
  date: string;
  /** Blank: the contact's payment terms set it. */
  dueDate: string;
  description: string;
  lines: ItemLineDraft[];
}

export const EMPTY_ITEM_LINE: ItemLineDraft = { account: "", amount: "", description: "" };

export type ItemProblem = "contact" | "number" | "date" | "dueDate" | "noLines" | "lines";

function blankLine(line: ItemLineDraft): boolean {
  return !line.account.trim() && !line.amount.trim() && !line.description.trim();
}

/** What is wrong with one line (null when nothing, or when it is wholly blank and left out). */
export function itemLineProblem(line: ItemLineDraft, digits: number): "account" | "amount" | null {
  if (blankLine(line)) return null;
  const amount = parseAmount(line.amount, digits);
  if (amount === null || amount <= 0) return "amount";
  if (!line.account.trim()) return "account";
  return null;
}

/** Why the item may not be sent yet (null when it may). */
export function itemProblem(draft: ItemDraft, digits: number): ItemProblem | null {
  if (!draft.contact) return "contact";
  if (!draft.number.trim()) return "number";
  if (!draft.date) return "date";
  if (draft.dueDate && draft.dueDate < draft.date) return "dueDate";
  const filled = draft.lines.filter((line) => !blankLine(line));
  if (filled.length === 0) return "noLines";
  if (filled.some((line) => itemLineProblem(line, digits) !== null)) return "lines";
  return null;
}

/** The lines' total in minor units (unreadable amounts count as nothing; they are shown as problems). */
export function itemTotal(lines: ItemLineDraft[], digits: number): number {
  return lines.reduce((sum, line) => sum + (parseAmount(line.amount, digits) ?? 0), 0);
}

/** The item as the API takes it; call only when itemProblem is null. */
export function toOpenItemIn(draft: ItemDraft, digits: number): Schemas["OpenItemIn"] {
  return {
    contact: draft.contact ?? "",
    number: draft.number.trim(),
    date: draft.date,
    due_date: draft.dueDate || null,
    description: draft.description.trim(),
    lines: draft.lines
      .filter((line) => !blankLine(line))
      .map((line) => ({
        account: line.account.trim(),
        amount: parseAmount(line.amount, digits) ?? 0,
        description: line.description.trim(),
      })),
  };
}

/** Whether an item can take a payment now: posted and with something open. */
export function isPayable(item: OpenItem): boolean {
  return (item.status === "open" || item.status === "partially_paid") && item.open_amount > 0;
}

export type SelectionProblem = "none" | "contacts" | "notPayable";

/** One payment settles payable items of one contact: why the chosen items cannot be paid together. */
export function selectionProblem(items: OpenItem[]): SelectionProblem | null {
  if (items.length === 0) return "none";
  if (items.some((item) => !isPayable(item))) return "notPayable";
  if (new Set(items.map((item) => item.contact_id)).size > 1) return "contacts";
  return null;
}

export type AllocationProblem = "amount" | "tooMuch";

/** An amount typed against one item: positive and no more than the item has open. */
export function allocationProblem(text: string, item: OpenItem, digits: number): AllocationProblem | null {
  const amount = parseAmount(text, digits);
  if (amount === null || amount <= 0) return "amount";
  if (amount > item.open_amount) return "tooMuch";
  return null;
}

/** The open amount in major units as the form first shows it ("1190.5" → "1190.50"). */
export function majorText(minor: number, digits: number): string {
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits);
}

export interface PaymentDraft {
  date: string;
  account: string;
  reference: string;
  /** Typed amounts by item id. */
  amounts: Record<string, string>;
}

export type PaymentProblem = "date" | "account" | "allocations";

export function paymentProblem(draft: PaymentDraft, items: OpenItem[], digits: number): PaymentProblem | null {
  if (!draft.date) return "date";
  if (!draft.account.trim()) return "account";
  if (items.some((item) => allocationProblem(draft.amounts[item.id] ?? "", item, digits) !== null)) return "allocations";
  return null;
}

export function paymentTotal(draft: PaymentDraft, items: OpenItem[], digits: number): number {
  return items.reduce((sum, item) => sum + (parseAmount(draft.amounts[item.id] ?? "", digits) ?? 0), 0);
}

/** The payment as the API takes it; call only when paymentProblem is null. */
export function toPaymentIn(draft: PaymentDraft, items: OpenItem[], digits: number): Schemas["PaymentIn"] {
  return {
    date: draft.date,
    account: draft.account.trim(),
    reference: draft.reference.trim(),
    allocations: items.map((item) => ({ item: item.id, amount: parseAmount(draft.amounts[item.id] ?? "", digits) ?? 0 })),
  };
}
