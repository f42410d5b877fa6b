/**
 * Server state of the documents to book and the period closes. Keys start with ["books", tenant] like
 * the rest of the books (queries.ts), so booking a document or closing a period refreshes the journal,
 * the periods and the reports shown of that tenant.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, forTenant, type Schemas, unwrap } from "../api/client";
import { saveFile } from "../lib/saveFile";
import { type BooksScope, booksKey, type Entry, type Period } from "./queries";

export type BookDocument = Schemas["BookDocumentOut"];
export type DocumentKind = BookDocument["kind"];
export type PeriodClose = Schemas["PeriodCloseOut"];

export const DOCUMENT_KINDS: DocumentKind[] = ["bill", "receipt", "sales_invoice"];
const LARGEST_PAGE = 200;

export function useDocuments(scope: BooksScope, limit: number, offset: number) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "documents", limit, offset],
    queryFn: () => unwrap(api.GET("/api/v1/books/documents", { params: { query: { limit, offset } }, ...scope.headers })),
    enabled: scope.tenantId !== null,
  });
}

/** The document behind a work item, or null (a close or a generic request). */
export function useDocumentOfItem(itemId: string, tenantId: string) {
  return useQuery({
    queryKey: [...booksKey(tenantId), "documents", "item", itemId],
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/v1/books/documents", { params: { query: { work_item_id: itemId } }, ...forTenant(tenantId) }),
      );
      return page.items[0] ?? null;
    },
  });
}

/** The period close behind a work item, or null. */
export function useCloseOfItem(itemId: string, tenantId: string) {
  return useQuery({
    queryKey: [...booksKey(tenantId), "closes", "item", itemId],
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/v1/books/closes", { params: { query: { work_item_id: itemId } }, ...forTenant(tenantId) }),
      );
      return page.items[0] ?? null;
    },
  });
}

/** The closes still open, by period id: the periods page shows each one's progress. */
export function useOpenCloses(scope: BooksScope) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "closes", "open"],
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/v1/books/closes", { params: { query: { open: true, limit: LARGEST_PAGE } }, ...scope.headers }),
      );
      return new Map(page.items.map((close) => [close.period.id, close]));
    },
    enabled: scope.tenantId !== null,
  });
}

/** A document's bytes, with the session's token (the viewer and the download both use it). */
export async function documentBytes(id: string, tenantId?: string | null, download = false): Promise<Blob> {
  return (await unwrap(
    api.GET("/api/v1/books/documents/{document_id}/file", {
      params: { path: { document_id: id }, query: download ? { download: true } : {} },
      parseAs: "blob",
      ...forTenant(tenantId),
    }),
  )) as unknown as Blob;
}

export async function downloadDocument(document: BookDocument, tenantId: string | null) {
  saveFile(await documentBytes(document.id, tenantId, true), document.filename);
}

/** One file sent to be booked: 201 a new document, 200 the same file sent before. */
export async function sendDocument(
  scope: BooksScope,
  { kind, file, note }: { kind: DocumentKind; file: File; note: string },
): Promise<{ document: BookDocument; made: boolean }> {
  const form = new FormData();
  form.append("kind", kind);
  form.append("note", note);
  form.append("file", file, file.name);
  const answer = await api.POST("/api/v1/books/documents", {
    body: { kind, note, file: file.name },
    // The browser writes the multipart body (with its boundary) from the FormData itself.
    bodySerializer: () => form,
    ...scope.headers,
  });
  const document = await unwrap(Promise.resolve(answer));
  return { document, made: answer.response.status === 201 };
}

function useBooksChange<T, V>(tenantId: string | null, change: (variables: V) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: booksKey(tenantId) });
      void client.invalidateQueries({ queryKey: ["work-item"] });
    },
  });
}

export function useSendDocuments(scope: BooksScope) {
  return useBooksChange(scope.tenantId, async ({ kind, files, note }: { kind: DocumentKind; files: File[]; note: string }) => {
    const sent = [];
    for (const file of files) sent.push(await sendDocument(scope, { kind, file, note }));
    return sent;
  });
}

/**
 * Booking a document with the journal-entry form (NewEntryPage's `target`): the same variables as a
 * new entry, answering the document's entry. The entry always posts (or waits for approval).
 */
export function useBookDocument(document: BookDocument, tenantId: string) {
  return useBooksChange(tenantId, async ({ body }: { body: Schemas["EntryIn"]; post: boolean }): Promise<Entry> => {
    const booked = await unwrap(
      api.POST("/api/v1/books/documents/{document_id}/book", {
        params: { path: { document_id: document.id } },
        body,
        ...forTenant(tenantId),
      }),
    );
    return booked.entry as Entry;
  });
}

export function useStartClose(scope: BooksScope) {
  return useBooksChange(scope.tenantId, (period: Period) =>
    unwrap(api.POST("/api/v1/books/closes", { body: { period: period.month }, ...scope.headers })),
  );
}

export function useTickCheck(close: PeriodClose, tenantId: string) {
  const client = useQueryClient();
  return useBooksChange(tenantId, async ({ code, done }: { code: string; done: boolean }) => {
    const changed = await unwrap(
      api.PUT("/api/v1/books/closes/{close_id}/checks/{code}", {
        params: { path: { close_id: close.id, code } },
        body: { done },
        ...forTenant(tenantId),
      }),
    );
    // The answer is the whole close: shown at once, whatever order the refetches come back in.
    client.setQueryData([...booksKey(tenantId), "closes", "item", close.work_item_id], changed);
    return changed;
  });
}

export function useLockPeriod(tenantId: string | null) {
  return useBooksChange(tenantId, (periodId: string) =>
    unwrap(api.POST("/api/v1/books/periods/{period_id}/close", { params: { path: { period_id: periodId } }, ...forTenant(tenantId) })),
  );
}

export function useReopenPeriod(scope: BooksScope) {
  return useBooksChange(scope.tenantId, ({ period, reason }: { period: Period; reason: string }) =>
    unwrap(
      api.POST("/api/v1/books/periods/{period_id}/reopen", {
        params: { path: { period_id: period.id } },
        body: { reason },
        ...scope.headers,
      }),
    ),
  );
}
