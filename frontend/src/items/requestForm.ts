/**
 * A new request's form, from a service type's `fields`: each field's starting value, the checks
 * (the same ones the server makes in `work/forms.py`, so most mistakes are caught before sending),
 * the payload to send, and the server's own problems sorted back onto the fields they name.
 */
import { ApiError } from "../api/client";
import { LIMITS } from "../lib/limits";

export const FIELD_TYPES = ["string", "text", "integer", "number", "boolean", "date", "email", "choice"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FormField {
  name: string;
  type: FieldType;
  label?: string;
  required: boolean;
  choices?: string[];
  min?: number;
  max?: number;
  help?: string;
}

/** What a field holds while it is edited: text inputs hold strings, NumberInput a number or "", Switch a boolean. */
export type FieldValue = string | number | boolean;
export type FormValues = Record<string, FieldValue>;

/** A problem in the reader's words: an i18n key under `validation.` and what it needs to say it. */
export interface Problem {
  key: "required" | "tooLong" | "oneLine" | "email" | "date" | "choice" | "integer" | "number" | "min" | "max";
  values?: Record<string, number>;
}

export const TITLE_MAX_LENGTH = LIMITS.title;
const MAX_LENGTH: Partial<Record<FieldType, number>> = { string: 500, text: 20_000 };
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The API types a form as loose objects; keep the fields this screen can draw, typed. */
export function parseFields(raw: Record<string, unknown>[]): FormField[] {
  return raw.flatMap((field) => {
    const { name, type } = field;
    if (typeof name !== "string" || !FIELD_TYPES.includes(type as FieldType)) return [];
    return [
      {
        name,
        type: type as FieldType,
        label: typeof field.label === "string" ? field.label : undefined,
        required: field.required === true,
        choices: Array.isArray(field.choices) ? field.choices.filter((c): c is string => typeof c === "string") : undefined,
        min: typeof field.min === "number" ? field.min : undefined,
        max: typeof field.max === "number" ? field.max : undefined,
        help: typeof field.help === "string" ? field.help : undefined,
      },
    ];
  });
}

export function initialValue(field: FormField): FieldValue {
  return field.type === "boolean" ? false : "";
}

export function initialValues(fields: FormField[]): FormValues {
  return Object.fromEntries(fields.map((field) => [field.name, initialValue(field)]));
}

function isBlank(value: FieldValue | undefined): boolean {
  return value === undefined || (typeof value === "string" && value.trim() === "");
}

function isRealDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

/** The first problem with one field's value, or null. A blank optional field is fine. */
export function checkField(field: FormField, value: FieldValue | undefined): Problem | null {
  if (isBlank(value)) return field.required ? { key: "required" } : null;
  switch (field.type) {
    case "boolean":
      return null; // a Switch is always true or false; false is an answer too
    case "integer":
    case "number": {
      const number = typeof value === "number" ? value : Number(value);
      if (!Number.isFinite(number)) return { key: "number" };
      if (field.type === "integer" && !Number.isInteger(number)) return { key: "integer" };
      if (field.min !== undefined && number < field.min) return { key: "min", values: { min: field.min } };
      if (field.max !== undefined && number > field.max) return { key: "max", values: { max: field.max } };
      return null;
    }
    default: {
      const text = String(value).trim();
      const limit = MAX_LENGTH[field.type];
      if (limit !== undefined && text.length > limit) return { key: "tooLong", values: { max: limit } };
      if (field.type === "string" && text.includes("\n")) return { key: "oneLine" };
      if (field.type === "email" && !EMAIL.test(text)) return { key: "email" };
      if (field.type === "date" && !isRealDate(text)) return { key: "date" };
      if (field.type === "choice" && !field.choices?.includes(text)) return { key: "choice" };
      return null;
    }
  }
}

export function checkTitle(title: string): Problem | null {
  const text = title.trim();
  if (!text) return { key: "required" };
  if (text.length > TITLE_MAX_LENGTH) return { key: "tooLong", values: { max: TITLE_MAX_LENGTH } };
  return null;
}

/** Every problem in the form, by field name ("title" for the title); empty when it can be sent. */
export function checkRequest(fields: FormField[], values: FormValues, title: string): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  const titleProblem = checkTitle(title);
  if (titleProblem) problems.title = titleProblem;
  for (const field of fields) {
    const problem = checkField(field, values[field.name]);
    if (problem) problems[field.name] = problem;
  }
  return problems;
}

/** The payload as the server wants it: blanks left out, text trimmed, numbers as numbers. */
export function buildPayload(fields: FormField[], values: FormValues): Record<string, string | number | boolean> {
  const payload: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (isBlank(value)) continue;
    if (field.type === "boolean") payload[field.name] = value === true;
    else if (field.type === "integer" || field.type === "number") payload[field.name] = Number(value);
    else payload[field.name] = String(value).trim();
  }
  return payload;
}

/**
 * The server's answer to a refused request, split into problems that name a field
 * (`payload.source: What to key in is required`, or Litestar's `[{key: "title", message}]`)
 * and the rest, which belong at the top of the form.
 */
export function sortServerProblems(
  error: unknown,
  fieldNames: string[],
): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  if (!(error instanceof ApiError)) return { byField, general };
  const known = new Set([...fieldNames, "title", "priority"]);
  // Each field shows its first problem; anything without a field of ours goes to the top, as the server said it.
  const place = (name: string | undefined, message: string, asSaid: string) => {
    if (name && known.has(name) && !byField[name]) byField[name] = message;
    else general.push(asSaid);
  };
  if (Array.isArray(error.extra)) {
    for (const entry of error.extra as { key?: string; message?: string }[]) {
      const message = entry.message ?? error.message;
      place(entry.key, message, entry.key ? `${entry.key}: ${message}` : message);
    }
  } else {
    for (const problem of error.problems) {
      const match = /^payload\.([a-z][a-z0-9_]*): (.*)$/s.exec(problem);
      place(match?.[1], match?.[2] ?? problem, problem);
    }
  }
  if (general.length === 0 && Object.keys(byField).length === 0) general.push(error.message);
  return { byField, general };
}
