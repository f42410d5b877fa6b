/**
 * Sending a file of rows: a multipart POST. The API answers 201 with a new batch, or 200 with the
 * batch the same file already made for the same schema.
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
