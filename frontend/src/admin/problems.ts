/**
 * Where the server's words about a form belong. The API names the field a problem is about in two
 * ways: Litestar's body validation lists `{key, message}` in `extra`, and the domain checks write
 * "field: what is wrong" (one detail, or several in `extra.problems`). A problem about a field the
 * form shows goes under that field; anything else goes above the form.
 */
import { ApiError } from "../api/client";

export interface FormProblems {
  /** By field name: the server's words about that field. */
  fields: Record<string, string>;
  /** Problems about no field the form shows (a conflict, a rule), in the server's words. */
  others: string[];
}

interface ValidationEntry {
  key?: unknown;
  message?: unknown;
}

function validationEntries(extra: unknown): { key: string; message: string }[] {
  if (!Array.isArray(extra)) return [];
  return (extra as ValidationEntry[])
    .filter((entry) => typeof entry?.message === "string")
    .map((entry) => ({ key: typeof entry.key === "string" ? entry.key : "", message: entry.message as string }));
}

/** "holidays[0]" and "weekly_hours.mon" are about the form's "holidays" and "weekly_hours". */
function rootField(key: string): string {
  return key.split(/[.[]/, 1)[0];
}

/** A field named in full ("first_admin.email") when the form shows it, else its root ("services[1]" → "services"). */
function formFieldFor(key: string, formFields: readonly string[]): string | null {
  if (formFields.includes(key)) return key;
  const root = rootField(key);
  return formFields.includes(root) ? root : null;
}

/** "field: words", where the field may be nested or indexed ("first_admin.email: ...", "services[1]: ..."). */
const NAMED_PROBLEM = /^([a-z_]+(?:\.[a-z_]+|\[\d+\])*): (.+)$/s;

export function formProblems(error: unknown, formFields: readonly string[]): FormProblems {
  const problems: FormProblems = { fields: {}, others: [] };
  if (!(error instanceof ApiError)) return problems;
  const place = (key: string, message: string, asWritten: string) => {
    const field = formFieldFor(key, formFields);
    if (field) {
      problems.fields[field] = problems.fields[field] ? `${problems.fields[field]} · ${message}` : message;
    } else {
      problems.others.push(asWritten);
    }
  };
  const entries = validationEntries(error.extra);
  if (entries.length) {
    for (const { key, message } of entries) place(key, message, key ? `${key}: ${message}` : message);
    return problems;
  }
  for (const problem of error.problems) {
    const named = NAMED_PROBLEM.exec(problem);
    if (named) place(named[1], named[2], problem);
    else problems.others.push(problem);
  }
  return problems;
}
