/**
 * The Bookkeeping desk's server state. Books are one tenant's: a client's requests go to their own
 * tenant; staff name the tenant they chose in the console (`?tenant=`) with X-Tenant. Every key starts
 * with ["books", tenant] so a change to one tenant's books refreshes what the screens show of it.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "../api/client";
import { type DeskScope, useDeskScope } from "../desks/deskScope";
import { saveFile } from "../lib/saveFile";
import { type FileFormat, type ReportBody, type ReportKind, reportFileName } from "./reports";

export type Entry = Schemas["EntryOut"];
export type EntryStatus = Entry["status"];
export type Account = Schemas["AccountOut"];
export type AccountIn = Schemas["AccountIn"];
export type Period = Schemas["PeriodOut"];

// A tenant's whole chart of accounts fits on the API's largest page.
const LARGEST_PAGE = 200;

export type BooksScope = DeskScope;
export const useBooksScope = useDeskScope;

export const booksKey = (tenantId: string | null) => ["books", tenantId ?? "own"] as const;

export function useAccounts(scope: BooksScope) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "accounts"],
    queryFn: () =>
      unwrap(api.GET("/api/v1/books/accounts", { params: { query: { limit: LARGEST_PAGE } }, ...scope.headers })),
    enabled: scope.tenantId !== null,
  });
}

export function useEntries(scope: BooksScope, status: EntryStatus | null, limit: number, offset: number) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "entries", status, limit, offset],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/books/journal-entries", {
          params: { query: { status: status ?? undefined, limit, offset } },
          ...scope.headers,
        }),
      ),
    placeholderData: keepPreviousData,
    enabled: scope.tenantId !== null,
  });
}

export function usePeriods(scope: BooksScope) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "periods"],
    queryFn: () =>
      unwrap(api.GET("/api/v1/books/periods", { params: { query: { limit: LARGEST_PAGE } }, ...scope.headers })),
    enabled: scope.tenantId !== null,
  });
}

export type ReportQuery = { from?: string; to?: string };

function reportPath(kind: ReportKind) {
  return `/api/v1/books/reports/${kind}` as "/api/v1/books/reports/trial-balance";
}

export function useReport(scope: BooksScope, kind: ReportKind, query: ReportQuery) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "report", kind, query],
    queryFn: async () =>
      (await unwrap(api.GET(reportPath(kind), { params: { query }, ...scope.headers }))) as ReportBody,
    enabled: scope.tenantId !== null,
  });
}

/** A report's file in the reader's language, fetched with the session's token and handed to the browser. */
export function useReportDownload(scope: BooksScope) {
  return useMutation({
    mutationFn: async ({ kind, query, format, lang }: { kind: ReportKind; query: ReportQuery; format: FileFormat; lang: "en" | "ar" }) => {
      const file = await unwrap(
        api.GET(reportPath(kind), { params: { query: { ...query, format, lang } }, parseAs: "blob", ...scope.headers }),
      );
      saveFile(file as unknown as Blob, reportFileName(kind, query, format));
    },
  });
}

/**
 * A change to the books: on success everything shown of this tenant's books is read again. Not
 * awaited, so the caller's own onSuccess (a notification) runs before the refetch can remove the
 * row whose button made the change (an unmounted caller's callbacks are dropped).
 */
function useBooksChange<T, V>(scope: BooksScope, change: (variables: V) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: booksKey(scope.tenantId) });
    },
  });
}

export function useAddAccount(scope: BooksScope) {
  return useBooksChange(scope, (body: AccountIn) =>
    unwrap(api.POST("/api/v1/books/accounts", { body, ...scope.headers })),
  );
}

export function useCreateEntry(scope: BooksScope) {
  return useBooksChange(scope, async ({ body, post }: { body: Schemas["EntryIn"]; post: boolean }) => {
    const draft = await unwrap(api.POST("/api/v1/books/journal-entries", { body, ...scope.headers }));
    if (!post) return draft;
    return unwrap(
      api.POST("/api/v1/books/journal-entries/{entry_id}/post", {
        params: { path: { entry_id: draft.id } },
        ...scope.headers,
      }),
    );
  });
}

export type EntryAction = "post" | "approve" | "reverse" | "delete";

export function useEntryAction(scope: BooksScope) {
  return useBooksChange(scope, async ({ entry, action }: { entry: Entry; action: EntryAction }) => {
    const path = { params: { path: { entry_id: entry.id } }, ...scope.headers };
    if (action === "delete") return unwrap(api.DELETE("/api/v1/books/journal-entries/{entry_id}", path));
    if (action === "reverse") return unwrap(api.POST("/api/v1/books/journal-entries/{entry_id}/reverse", { ...path, body: {} }));
    if (action === "approve") return unwrap(api.POST("/api/v1/books/journal-entries/{entry_id}/approve", path));
    return unwrap(api.POST("/api/v1/books/journal-entries/{entry_id}/post", path));
  });
}

export function useClosePeriod(scope: BooksScope) {
  return useBooksChange(scope, (period: Period) =>
    unwrap(
      api.POST("/api/v1/books/periods/{period_id}/close", { params: { path: { period_id: period.id } }, ...scope.headers }),
    ),
  );
}
