/**
 * Server state of contacts, invoices, bills, payments and the aging reports. Keys start with
 * ["books", tenant] like the rest of the books (queries.ts), so a new invoice or payment refreshes
 * the contacts' balances, the lists, the aging and the journal shown of that tenant.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "../api/client";
import type { ContactKind, ItemKind } from "./openItems";
import { type BooksScope, booksKey } from "./queries";

const ITEM_PATHS = { invoice: "/api/v1/books/invoices", bill: "/api/v1/books/bills" } as const;
const AGING_PATHS = { receivable: "/api/v1/books/reports/ar-aging", payable: "/api/v1/books/reports/ap-aging" } as const;
export type AgingKind = keyof typeof AGING_PATHS;
export type Aging = Schemas["AgingOut"];
const LARGEST_PAGE = 200;

export interface ContactQuery {
  kind: ContactKind | null;
  q: string;
  limit: number;
  offset: number;
}

export function useContacts(scope: BooksScope, query: ContactQuery) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "contacts", query],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/books/contacts", {
          params: { query: { kind: query.kind ?? undefined, q: query.q.trim() || undefined, limit: query.limit, offset: query.offset } },
          ...scope.headers,
        }),
      ),
    placeholderData: keepPreviousData,
    enabled: scope.tenantId !== null,
  });
}

export interface ItemQuery {
  contact?: string;
  open?: boolean;
  limit: number;
  offset: number;
}

export function useOpenItems(scope: BooksScope, kind: ItemKind, query: ItemQuery, enabled = true) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "items", kind, query],
    queryFn: () =>
      unwrap(
        api.GET(ITEM_PATHS[kind] as "/api/v1/books/invoices", {
          params: { query: { contact: query.contact, open: query.open || undefined, limit: query.limit, offset: query.offset } },
          ...scope.headers,
        }),
      ),
    placeholderData: keepPreviousData,
    enabled: enabled && scope.tenantId !== null,
  });
}

/** A contact's open items of its side, all at once (a contact's open invoices fit the largest page). */
export function useContactItems(scope: BooksScope, kind: ItemKind, contactId: string) {
  return useOpenItems(scope, kind, { contact: contactId, open: true, limit: LARGEST_PAGE, offset: 0 });
}

export function useAging(scope: BooksScope, kind: AgingKind, asOf: string) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "aging", kind, asOf],
    queryFn: async () =>
      (await unwrap(
        api.GET(AGING_PATHS[kind] as "/api/v1/books/reports/ar-aging", {
          params: { query: asOf ? { to: asOf } : {} },
          ...scope.headers,
        }),
      )) as Aging,
    enabled: scope.tenantId !== null,
  });
}

/** A change: on success everything shown of this tenant's books is read again (queries.ts explains why not awaited). */
function useBooksChange<T, V>(scope: BooksScope, change: (variables: V) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: booksKey(scope.tenantId) });
    },
  });
}

export function useSaveContact(scope: BooksScope) {
  return useBooksChange(scope, ({ id, body }: { id: string | null; body: Schemas["ContactIn"] }) => {
    if (id === null) return unwrap(api.POST("/api/v1/books/contacts", { body, ...scope.headers }));
    const { kind: _fixed, ...update } = body;
    return unwrap(
      api.PATCH("/api/v1/books/contacts/{contact_id}", {
        params: { path: { contact_id: id } },
        body: { ...update, email: update.email ?? "", tax_id: update.tax_id ?? "" },
        ...scope.headers,
      }),
    );
  });
}

export function useCreateItem(scope: BooksScope, kind: ItemKind) {
  return useBooksChange(scope, (body: Schemas["OpenItemIn"]) =>
    unwrap(api.POST(ITEM_PATHS[kind] as "/api/v1/books/invoices", { body, ...scope.headers })),
  );
}

export function useRecordPayment(scope: BooksScope) {
  return useBooksChange(scope, (body: Schemas["PaymentIn"]) =>
    unwrap(api.POST("/api/v1/books/payments", { body, ...scope.headers })),
  );
}
