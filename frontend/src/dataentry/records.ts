/**
 * A record's values as the keying form holds them (text, as typed) and the server's answers about
 * them: a refused save (422) names each field's problem in `extra.problems`, by field name.
 */
import { ApiError } from "../api/client";
import type { FieldDefinition } from "./validation";

/** A stored value as text in its field: numbers and dates as written, yes/no as words the server reads. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return typeof value === "string" ? value : String(value);
}

export function formValues(fields: readonly FieldDefinition[], values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field.name, textOf(values[field.name])]));
}

/** The server's problems with a save, by field; null when the refusal is not about the values. */
export function savedProblems(error: unknown): Record<string, string> | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const problems = (error.extra as { problems?: unknown } | undefined)?.problems;
  if (!problems || typeof problems !== "object" || Array.isArray(problems)) return null;
  return Object.fromEntries(Object.entries(problems).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** A header that does not match the schema: what the upload's 422 lists (columnsDoNotMatch). */
export interface ColumnProblems {
  unknown: string[];
  missing: string[];
  repeated: string[];
  expected: { name: string; label: string; required: boolean }[];
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

export function columnProblems(error: unknown): ColumnProblems | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const extra = error.extra as Record<string, unknown> | undefined;
  if (!extra || !("expected" in extra)) return null;
  const expected = Array.isArray(extra.expected)
    ? extra.expected
        .filter((entry): entry is { name: string; label?: string; required?: boolean } => typeof entry?.name === "string")
        .map((entry) => ({ name: entry.name, label: entry.label ?? entry.name, required: entry.required === true }))
    : [];
  return {
    unknown: strings(extra.unknown_columns),
    missing: strings(extra.missing_columns),
    repeated: strings(extra.repeated_columns),
    expected,
  };
}

/** A schema's fields as the API gives them (JSON objects) in the shape the checks use. */
export function fieldsOf(schema: { fields: Record<string, unknown>[] }): FieldDefinition[] {
  return schema.fields.filter((field) => typeof field.name === "string" && typeof field.type === "string") as unknown as FieldDefinition[];
}

export const labelOf = (field: FieldDefinition) => field.label || field.name;

/** One field of a record in adjudication as the adjudicator sees it: both passes, and whether they differ. */
export interface AdjudicationRow {
  field: FieldDefinition;
  first: string;
  second: string;
  differs: boolean;
}

interface AdjudicationLike {
  agreed: Record<string, unknown>;
  disagreements: { field: string; first?: unknown; second?: unknown }[];
}

/** The schema's fields in order, each with both passes' values (an agreed field has the same in both). */
export function adjudicationRows(fields: readonly FieldDefinition[], adjudication: AdjudicationLike): AdjudicationRow[] {
  const differing = new Map(adjudication.disagreements.map((each) => [each.field, each]));
  return fields
    .filter((field) => differing.has(field.name) || field.name in adjudication.agreed)
    .map((field) => {
      const disagreement = differing.get(field.name);
      if (!disagreement) {
        const agreed = textOf(adjudication.agreed[field.name]);
        return { field, first: agreed, second: agreed, differs: false };
      }
      return { field, first: textOf(disagreement.first), second: textOf(disagreement.second), differs: true };
    });
}

/** The disagreeing fields the adjudicator has not given a value yet (an empty value is a value: "no value"). */
export function unsettled(rows: readonly AdjudicationRow[], chosen: Record<string, string | undefined>): string[] {
  return rows.filter((row) => row.differs && chosen[row.field.name] === undefined).map((row) => row.field.name);
}
