/**
 * One typed value against one schema field, as the server judges it (dataentry/fields.py), so an
 * agent sees a problem as they type rather than when the record is saved. The same rules: empty and
 * required, whole numbers and decimals (other scripts' digits read as digits, "12,5" as 12.5), dates
 * written YYYY-MM-DD, yes/no words, a choice in any case, min/max, length, and the pattern matched
 * against the whole value. Phone numbers, IBANs and national or tax ids need the server's tables:
 * they pass here and the server's word on them shows after the save.
 *
 * A problem is a code with its details, for the reader's language; the server's own problems are
 * shown in its words.
 */

export type FieldType =
  | "text"
  | "integer"
  | "decimal"
  | "date"
  | "boolean"
  | "choice"
  | "email"
  | "phone"
  | "iban"
  | "tax_id"
  | "national_id";

/** A schema's field as the API stores it (defaults left out). */
export interface FieldDefinition {
  name: string;
  type: FieldType;
  label?: string | null;
  required?: boolean;
  pattern?: string | null;
  min?: number | string | null;
  max?: number | string | null;
  length?: number | null;
  choices?: string[] | null;
  country?: string | null;
  unique?: boolean;
  help?: string;
}

export type Problem =
  | { code: "required" }
  | { code: "tooLong"; limit: number }
  | { code: "notInteger"; text: string }
  | { code: "notNumber"; text: string }
  | { code: "notDate"; text: string }
  | { code: "notBoolean"; text: string }
  | { code: "notChoice"; text: string; choices: string }
  | { code: "notEmail"; text: string }
  | { code: "atLeast"; bound: string }
  | { code: "atMost"; bound: string }
  | { code: "longerThan"; limit: number }
  | { code: "notForm"; text: string };

export const MAX_VALUE_CHARS = 10_000;
/** Types only the server can judge in full (it holds the numbering plans and check digits). */
export const SERVER_CHECKED: ReadonlySet<FieldType> = new Set(["phone", "iban", "tax_id", "national_id"]);

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "t", "نعم", "oui", "ja", "sí", "si"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "f", "لا", "non", "nein"]);

class Refused extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.code);
    this.problem = problem;
  }
}

/** The field's problem with `raw` as typed, or null when the server would take it. */
export function checkValue(field: FieldDefinition, raw: string): Problem | null {
  if (raw.trim() === "") return field.required ? { code: "required" } : null;
  try {
    const value = clean(field, raw);
    checkBounds(field, value);
  } catch (error) {
    if (error instanceof Refused) return error.problem;
    throw error;
  }
  return null;
}

/** Every field of a record: problems by field name (none: the record may be saved). */
export function checkRecord(fields: readonly FieldDefinition[], values: Record<string, string>): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  for (const field of fields) {
    const problem = checkValue(field, values[field.name] ?? "");
    if (problem) problems[field.name] = problem;
  }
  return problems;
}

type Clean = { kind: "integer"; value: bigint } | { kind: "decimal"; value: string } | { kind: "date"; value: string } | { kind: "text"; value: string } | { kind: "other" };

function clean(field: FieldDefinition, raw: string): Clean {
  const text = textOf(raw);
  switch (field.type) {
    case "integer": {
      const compact = text.replaceAll(" ", "");
      if (!/^[+-]?\p{Nd}{1,30}$/u.test(compact)) throw new Refused({ code: "notInteger", text: compact });
      return { kind: "integer", value: BigInt(asciiDigits(compact)) };
    }
    case "decimal":
      return { kind: "decimal", value: decimalOf(text) };
    case "date":
      return { kind: "date", value: dateOf(asciiDigits(text)) };
    case "boolean": {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word) || FALSE_WORDS.has(word)) return { kind: "other" };
      throw new Refused({ code: "notBoolean", text: word });
    }
    case "choice": {
      const choices = field.choices ?? [];
      const chosen = choices.find((choice) => choice.toLowerCase() === text.toLowerCase());
      if (chosen === undefined) throw new Refused({ code: "notChoice", text, choices: choices.join(", ") });
      return { kind: "text", value: chosen };
    }
    case "email":
      return { kind: "text", value: emailOf(text) };
    case "text":
      return { kind: "text", value: text };
    default:
      // Phone numbers, IBANs, tax and national ids are cleaned by the server before its checks.
      return { kind: "other" };
  }
}

function textOf(raw: string): string {
  const text = raw.normalize("NFC").trim();
  if (codePoints(text) > MAX_VALUE_CHARS) throw new Refused({ code: "tooLong", limit: MAX_VALUE_CHARS });
  return text;
}

function codePoints(text: string): number {
  return [...text].length;
}

/** Digits of any script as ASCII digits: Unicode lays each script's 0-9 out in runs of ten. */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => {
    let start = digit.codePointAt(0)!;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
    return String((digit.codePointAt(0)! - start) % 10);
  });
}

function decimalOf(text: string): string {
  let compact = text.replaceAll(" ", "");
  if (compact.includes(",") && !compact.includes(".") && compact.split(",").length === 2) {
    compact = compact.replace(",", ".");
  }
  if (!/^[+-]?(\p{Nd}{1,30}(\.\p{Nd}{0,30})?|\.\p{Nd}{1,30})$/u.test(compact)) {
    throw new Refused({ code: "notNumber", text: compact });
  }
  return asciiDigits(compact);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_WEEK_DATE = /^(\d{4})-W(\d{2})-(\d)$/;

function dateOf(text: string): string {
  const refused = new Refused({ code: "notDate", text });
  const day = ISO_DATE.exec(text);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (year < 1 || month < 1 || month > 12 || date < 1 || date > daysIn(year, month)) throw refused;
    return text;
  }
  // Python's date.fromisoformat also reads a 10-character ISO week date ("2024-W01-1").
  const week = ISO_WEEK_DATE.exec(text);
  if (week) return fromIsoWeek(Number(week[1]), Number(week[2]), Number(week[3]), refused);
  throw refused;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fromIsoWeek(year: number, week: number, weekday: number, refused: Refused): string {
  if (year < 1 || weekday < 1 || weekday > 7 || week < 1) throw refused;
  const jan4 = new Date(Date.UTC(year, 0, 4));
  jan4.setUTCFullYear(year);
  const weekOneMonday = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000;
  const dec28 = new Date(Date.UTC(year, 11, 28));
  dec28.setUTCFullYear(year);
  const weeks = Math.floor((dec28.getTime() - weekOneMonday) / (7 * 86_400_000)) + 1;
  if (week > weeks) throw refused;
  const date = new Date(weekOneMonday + ((week - 1) * 7 + weekday - 1) * 86_400_000);
  return date.toISOString().slice(0, 10).replace(/^\+0*/, "");
}

// The shape the server's email check insists on; its finer rules (IDNA, quoted parts) it applies itself.
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@([\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,}$/u;

function emailOf(text: string): string {
  if (!EMAIL.test(text) || text.split("@")[0].length > 64 || text.includes("..") || text.startsWith(".")) {
    throw new Refused({ code: "notEmail", text });
  }
  const at = text.lastIndexOf("@");
  return text.slice(0, at) + "@" + text.slice(at + 1).toLowerCase();
}

function checkBounds(field: FieldDefinition, value: Clean): void {
  if ((field.min ?? null) !== null || (field.max ?? null) !== null) {
    const compare = comparer(value);
    if (compare) {
      if (field.min !== null && field.min !== undefined && compare(field.min) < 0) {
        throw new Refused({ code: "atLeast", bound: String(field.min) });
      }
      if (field.max !== null && field.max !== undefined && compare(field.max) > 0) {
        throw new Refused({ code: "atMost", bound: String(field.max) });
      }
    }
  }
  if (value.kind === "text") {
    if (field.length && codePoints(value.value) > field.length) throw new Refused({ code: "longerThan", limit: field.length });
    if (field.pattern) {
      const pattern = compilePattern(field.pattern);
      if (pattern && !pattern.test(value.value)) throw new Refused({ code: "notForm", text: value.value });
    }
  }
}

/** How the value compares with a bound (negative: less), or null when the field has no order. */
function comparer(value: Clean): ((bound: number | string) => number) | null {
  switch (value.kind) {
    case "integer":
    case "decimal":
      return (bound) => compareDecimals(String(value.value), String(bound));
    case "date":
      return (bound) => (value.value < String(bound) ? -1 : value.value > String(bound) ? 1 : 0);
    default:
      return null;
  }
}

/** Two decimals written in ASCII ("12.50", "-3", ".5", "1e-05") compared exactly, not as floats. */
export function compareDecimals(a: string, b: string): number {
  const [x, y] = [scaled(a), scaled(b)];
  const places = Math.max(x.places, y.places);
  const left = x.digits * 10n ** BigInt(places - x.places);
  const right = y.digits * 10n ** BigInt(places - y.places);
  return left < right ? -1 : left > right ? 1 : 0;
}

function scaled(text: string): { digits: bigint; places: number } {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  let digits = BigInt(`${whole}${fraction}` || "0");
  let places = fraction.length - Number(exponent);
  if (places < 0) {
    digits *= 10n ** BigInt(-places);
    places = 0;
  }
  return { digits: sign === "-" ? -digits : digits, places };
}

const patterns = new Map<string, RegExp | null>();

/**
 * A schema's pattern (Python's re) as a JavaScript RegExp that must match the whole value; null when
 * JavaScript cannot read it, and the server alone judges it. Python's \d and \w take any script's
 * digits and letters: here too.
 */
export function compilePattern(source: string): RegExp | null {
  if (!patterns.has(source)) {
    let compiled: RegExp | null = null;
    for (const candidate of [unicodeClasses(source), source]) {
      try {
        compiled = new RegExp(`^(?:${candidate})$`, candidate === source ? "" : "u");
        break;
      } catch {
        compiled = null;
      }
    }
    patterns.set(source, compiled);
  }
  return patterns.get(source) ?? null;
}

function unicodeClasses(source: string): string {
  const outside: Record<string, string> = { d: "\\p{Nd}", D: "\\P{Nd}", w: "[\\p{L}\\p{N}_]", W: "[^\\p{L}\\p{N}_]" };
  const inside: Record<string, string> = { d: "\\p{Nd}", w: "\\p{L}\\p{N}_" };
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === "\\" && i + 1 < source.length) {
      const next = source[i + 1];
      const table = inClass ? inside : outside;
      out += Object.hasOwn(table, next) ? table[next] : char + next;
      i += 1;
    } else {
      if (char === "[" && !inClass) inClass = true;
      else if (char === "]" && inClass) inClass = false;
      out += char;
    }
  }
  return out;
}
