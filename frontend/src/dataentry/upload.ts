/**
 * Sending a file of rows, or documents to key: a multipart POST. The API answers 201 with a new
 * batch, or 200 with the batch the same file (or the same documents) already made for the schema.
 */
import { api, type Schemas, unwrap } from "../api/client";

export async function sendBatch(schema: string, file: File): Promise<{ batch: Schemas["BatchDetailOut"]; made: boolean }> {
  const form = new FormData();
  form.append("schema", schema);
  form.append("file", file, file.name);
  const answer = await api.POST("/api/v1/data-entry/batches", {
    body: { schema, file: file.name },
    // The browser writes the multipart body (with its boundary) from the FormData itself.
    bodySerializer: () => form,
  });
  const batch = await unwrap(Promise.resolve(answer));
  return { batch, made: answer.response.status === 201 };
}

export type Split = "document" | "page";

/** Documents (PDFs, images) to key: one record per document, or per PDF page. */
export async function sendDocuments(
  schema: string,
  files: File[],
  split: Split,
): Promise<{ batch: Schemas["BatchDetailOut"]; made: boolean }> {
  const form = new FormData();
  form.append("schema", schema);
  form.append("split", split);
  for (const file of files) form.append("documents", file, file.name);
  const answer = await api.POST("/api/v1/data-entry/batches", {
    body: { schema, split, documents: files.map((file) => file.name) },
    bodySerializer: () => form,
  });
  const batch = await unwrap(Promise.resolve(answer));
  return { batch, made: answer.response.status === 201 };
}

/** The files the server refused and why (a 422's extra.files), or null for any other error. */
export function refusedFiles(error: unknown): { filename: string; problem: string }[] | null {
  const extra = (error as { extra?: { files?: unknown } } | null)?.extra;
  return Array.isArray(extra?.files) ? (extra.files as { filename: string; problem: string }[]) : null;
}
