/**
 * The column mapping of a bank's CSV export, drawn up in the browser before the file is sent: the
 * header read from the file, the bank account's saved mapping preselected where its columns are
 * still there, otherwise a guess from the usual header names. The server reads the file again with
 * the mapping sent (bookkeeping/bank_import_csv.py) and saves it on the account for next time.
 */
import type { Schemas } from "../api/client";

export type CsvMapping = Schemas["CsvMapping"];
export type AmountMode = "amount" | "debitCredit";
export type MappedField = "date" | "amount" | "debit" | "credit" | "reference" | "counterparty" | "description";

export const TEXT_FIELDS: MappedField[] = ["reference", "counterparty", "description"];
export const DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y%m%d"] as const;
const DELIMITERS = [",", ";", "\t", "|"] as const;
type Delimiter = (typeof DELIMITERS)[number];

/** What the form holds: a header name per field ("" for none), and how dates and amounts are written. */
export interface MappingDraft {
  mode: AmountMode;
  columns: Record<MappedField, string>;
  dateFormat: string;
  decimalSeparator: "." | ",";
}

/** The format the server will read the file as (bank_statements.format_of): by content first, then by name. */
export function formatOf(filename: string, head: string): "csv" | "ofx" | "camt053" {
  const start = head.replace(/^\uFEFF/, "").trimStart().slice(0, 2048).toUpperCase();
  if (start.startsWith("OFXHEADER") || start.includes("<OFX>")) return "ofx";
  if (start.startsWith("<")) return "camt053";
  if (/\.(ofx|qfx)$/i.test(filename)) return "ofx";
  return /\.xml$/i.test(filename) ? "camt053" : "csv";
}

export const isCsv = (filename: string, head: string) => formatOf(filename, head) === "csv";

/** The delimiter the header uses most, as the server guesses it. */
export function guessDelimiter(headerLine: string): Delimiter {
  const count = (delimiter: string) => headerLine.split(delimiter).length - 1;
  return DELIMITERS.reduce((best, delimiter) => (count(delimiter) > count(best) ? delimiter : best), DELIMITERS[0]);
}

/** The header's column names: the first line split on the delimiter, quotes taken off, blanks dropped. */
export function headerOf(text: string): string[] {
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const delimiter = guessDelimiter(firstLine);
  const names: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < firstLine.length; i++) {
    const char = firstLine[i];
    if (char === '"' && quoted && firstLine[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === delimiter && !quoted) {
      names.push(cell.trim());
      cell = "";
    } else {
      cell += char;
    }
  }
  names.push(cell.trim());
  return names.filter(Boolean);
}

// Lower-case words banks print in their headers, English and Arabic, per field.
const USUAL_NAMES: Record<MappedField, string[]> = {
  date: ["date", "booking date", "transaction date", "value date", "posted", "التاريخ", "تاريخ"],
  amount: ["amount", "value", "المبلغ", "مبلغ"],
  debit: ["debit", "paid out", "withdrawal", "withdrawals", "money out", "مدين", "سحب"],
  credit: ["credit", "paid in", "deposit", "deposits", "money in", "دائن", "إيداع"],
  reference: ["reference", "ref", "ref.", "transaction id", "المرجع", "مرجع"],
  counterparty: ["counterparty", "payee", "payer", "name", "beneficiary", "الطرف المقابل", "المستفيد"],
  description: ["description", "details", "narrative", "memo", "text", "الوصف", "البيان", "التفاصيل"],
};

function guessColumn(field: MappedField, header: string[], taken: Set<string>): string {
  const free = header.filter((name) => !taken.has(name));
  const exact = free.find((name) => USUAL_NAMES[field].includes(name.toLowerCase()));
  if (exact) return exact;
  return free.find((name) => USUAL_NAMES[field].some((word) => word.length > 3 && name.toLowerCase().includes(word))) ?? "";
}

/**
 * The mapping to show for a file's header: the saved one where its columns are all still in the
 * header, else a guess by name (each column used once).
 */
export function draftFor(header: string[], saved: CsvMapping | null | undefined): MappingDraft {
  if (saved && savedFits(saved, header)) {
    return {
      mode: saved.amount ? "amount" : "debitCredit",
      columns: {
        date: saved.date,
        amount: saved.amount ?? "",
        debit: saved.debit ?? "",
        credit: saved.credit ?? "",
        reference: saved.reference ?? "",
        counterparty: saved.counterparty ?? "",
        description: saved.description ?? "",
      },
      dateFormat: saved.date_format ?? DATE_FORMATS[0],
      decimalSeparator: saved.decimal_separator ?? ".",
    };
  }
  const taken = new Set<string>();
  const columns = {} as Record<MappedField, string>;
  for (const field of ["date", "amount", "debit", "credit", "reference", "counterparty", "description"] as MappedField[]) {
    columns[field] = guessColumn(field, header, taken);
    if (columns[field]) taken.add(columns[field]);
  }
  const mode: AmountMode = !columns.amount && (columns.debit || columns.credit) ? "debitCredit" : "amount";
  return { mode, columns, dateFormat: DATE_FORMATS[0], decimalSeparator: "." };
}

/** Whether every column the saved mapping names is in this header. */
export function savedFits(saved: CsvMapping, header: string[]): boolean {
  const named = [saved.date, saved.amount, saved.debit, saved.credit, saved.reference, saved.counterparty, saved.description];
  return named.every((name) => !name || header.includes(name));
}

export type MappingProblem = "date" | "amount" | "debitCredit" | "twice";

/** What keeps the draft from being sent, or null: a date column, the amount column(s), no column used twice. */
export function mappingProblem(draft: MappingDraft): MappingProblem | null {
  const { columns } = draft;
  if (!columns.date) return "date";
  if (draft.mode === "amount" && !columns.amount) return "amount";
  if (draft.mode === "debitCredit" && (!columns.debit || !columns.credit)) return "debitCredit";
  const used = usedColumns(draft);
  return new Set(used).size === used.length ? null : "twice";
}

function usedColumns(draft: MappingDraft): string[] {
  const amountFields: MappedField[] = draft.mode === "amount" ? ["amount"] : ["debit", "credit"];
  return (["date", ...amountFields, ...TEXT_FIELDS] as MappedField[]).map((field) => draft.columns[field]).filter(Boolean);
}

/** The mapping as the API takes it: only the amount fields of the chosen mode, no empty names. */
export function toMapping(draft: MappingDraft): CsvMapping {
  const { columns } = draft;
  const pick = (field: MappedField) => columns[field] || undefined;
  const mapping: CsvMapping = { date: columns.date, date_format: draft.dateFormat, decimal_separator: draft.decimalSeparator };
  if (draft.mode === "amount") mapping.amount = pick("amount");
  else Object.assign(mapping, { debit: pick("debit"), credit: pick("credit") });
  for (const field of TEXT_FIELDS) {
    const name = pick(field);
    if (name) mapping[field] = name;
  }
  return JSON.parse(JSON.stringify(mapping)) as CsvMapping; // undefined fields dropped
}
