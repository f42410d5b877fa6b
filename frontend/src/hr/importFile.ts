/**
 * What the import screen knows about the file the API takes (hr/importing.py): its columns, a template
 * to start from, and a refused file's problems as one line per row and field.
 */
import { ApiError } from "../api/client";

export const IMPORT_COLUMNS = [
  { name: "employee_number", required: true },
  { name: "name", required: true },
  { name: "start_date", required: true },
  { name: "email", required: false },
  { name: "job_title", required: false },
  { name: "department", required: false },
  { name: "manager_number", required: false },
  { name: "contract_type", required: false },
  { name: "end_date", required: false },
  { name: "national_id", required: false },
  { name: "iban", required: false },
  { name: "salary", required: false },
  { name: "currency", required: false },
  { name: "birth_date", required: false },
  { name: "address", required: false },
] as const;

export const TEMPLATE_CSV = `${IMPORT_COLUMNS.map((column) => column.name).join(",")}\n`;

export interface RowProblem {
  /** The file's line: the header is row 1. */
  row: number;
  field: string;
  message: string;
}

/**
 * A refused import's problems: each row's (`extra.rows`), or the file's own (`extra.problems`, e.g. an
 * unknown column, shown as row 1, the header). Not an import refusal: no rows.
 */
export function importProblems(error: unknown): { rows: RowProblem[] } {
  if (!(error instanceof ApiError)) return { rows: [] };
  const extra = (error.extra ?? {}) as { rows?: unknown; problems?: unknown };
  const rows: RowProblem[] = [];
  if (Array.isArray(extra.rows)) {
    for (const entry of extra.rows as { row?: unknown; problems?: Record<string, unknown> }[]) {
      for (const [field, message] of Object.entries(entry.problems ?? {})) {
        rows.push({ row: Number(entry.row), field, message: String(message) });
      }
    }
  } else if (extra.problems && typeof extra.problems === "object" && !Array.isArray(extra.problems)) {
    const isFile = "file" in (extra.problems as object);
    for (const [field, message] of Object.entries(extra.problems as Record<string, unknown>)) {
      if (!isFile) rows.push({ row: 1, field, message: String(message) });
    }
  }
  return { rows };
}
