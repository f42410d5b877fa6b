/**
 * Server state of the bank screens: a tenant's bank accounts, their statement imports and the
 * reconciliation. Keys start with ["books", tenant] (queries.ts), so an import or a match refreshes
 * the bank lists and the reports and balances shown of that tenant.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "../api/client";
import type { CsvMapping } from "./csvMapping";
import type { StatementLine, SuggestedLine } from "./matching";
import { matchBody } from "./matching";
import { type BooksScope, booksKey } from "./queries";

export type BankAccount = Schemas["BankAccountOut"];
export type BankAccountIn = Schemas["BankAccountIn"];
export type ImportResult = Schemas["StatementImportOut"];

// A tenant's bank accounts fit on the API's largest page.
const LARGEST_PAGE = 200;

export function useBankAccounts(scope: BooksScope) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "bank-accounts"],
    queryFn: () =>
      unwrap(api.GET("/api/v1/books/bank-accounts", { params: { query: { limit: LARGEST_PAGE } }, ...scope.headers })),
    enabled: scope.tenantId !== null,
  });
}

/** The book's base currency: ledger balances are kept in it. */
export function useBookSettings(scope: BooksScope) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "settings"],
    queryFn: () => unwrap(api.GET("/api/v1/books/settings", { ...scope.headers })),
    enabled: scope.tenantId !== null,
  });
}

/** Each ledger account's balance of all posted entries (the trial balance), by account code. */
export function useLedgerBalances(scope: BooksScope) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "report", "trial-balance", "bank"],
    queryFn: async () => {
      const report = await unwrap(api.GET("/api/v1/books/reports/trial-balance", { params: { query: {} }, ...scope.headers }));
      return new Map((report as Schemas["TrialBalanceOut"]).rows.map((row) => [row.account, row.balance]));
    },
    enabled: scope.tenantId !== null,
  });
}

export function useReconciliation(scope: BooksScope, accountId: string, windowDays: number, limit: number, offset: number) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "bank-accounts", accountId, "reconciliation", windowDays, limit, offset],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/books/bank-accounts/{bank_account_id}/reconciliation", {
          params: { path: { bank_account_id: accountId }, query: { window_days: windowDays, limit, offset } },
          ...scope.headers,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Auto-matching: every match that leaves no doubt accepted (final, as by hand); the rest left for a person. */
export function useAutoMatch(scope: BooksScope, accountId: string) {
  return useBankChange(scope, (windowDays: number) =>
    unwrap(
      api.POST("/api/v1/books/bank-accounts/{bank_account_id}/reconciliation/auto", {
        params: { path: { bank_account_id: accountId } },
        body: { window_days: windowDays },
        ...scope.headers,
      }),
    ),
  );
}

/** Posted journal lines on the account's ledger account not matched yet, from `from` to `to`: matched by hand. */
export function useUnmatchedJournalLines(scope: BooksScope, accountId: string, from: string, to: string) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "bank-accounts", accountId, "unmatched-journal-lines", from, to],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/books/bank-accounts/{bank_account_id}/unmatched-journal-lines", {
          params: { path: { bank_account_id: accountId }, query: { from, to, limit: LARGEST_PAGE } },
          ...scope.headers,
        }),
      ),
  });
}

function useBankChange<T, V>(scope: BooksScope, change: (variables: V) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: booksKey(scope.tenantId) });
    },
  });
}

export function useAddBankAccount(scope: BooksScope) {
  return useBankChange(scope, (body: BankAccountIn) =>
    unwrap(api.POST("/api/v1/books/bank-accounts", { body, ...scope.headers })),
  );
}

/** A statement file; a CSV goes with its column mapping, which the server then keeps on the account. */
export function useImportStatement(scope: BooksScope, accountId: string) {
  return useBankChange(scope, ({ file, mapping }: { file: File; mapping: CsvMapping | null }) => {
    const form = new FormData();
    form.append("file", file, file.name);
    if (mapping) form.append("mapping", JSON.stringify(mapping));
    return unwrap(
      api.POST("/api/v1/books/bank-accounts/{bank_account_id}/statements", {
        params: { path: { bank_account_id: accountId } },
        body: { file: file.name },
        // The browser writes the multipart body (with its boundary) from the FormData itself.
        bodySerializer: () => form,
        ...scope.headers,
      }),
    );
  });
}

export function useAcceptMatch(scope: BooksScope, accountId: string) {
  return useBankChange(scope, ({ line, parts }: { line: StatementLine; parts: SuggestedLine[] }) =>
    unwrap(
      api.POST("/api/v1/books/bank-accounts/{bank_account_id}/reconciliation", {
        params: { path: { bank_account_id: accountId } },
        body: matchBody(line, parts),
        ...scope.headers,
      }),
    ),
  );
}
