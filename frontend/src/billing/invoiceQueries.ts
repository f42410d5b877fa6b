/**
 * Invoices, their payments and credit notes, the card on file, billing runs and receivables. Keys
 * start with billingKey(tenant) so any change to a tenant's invoices refreshes every list of it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, forTenant, type Schemas, unwrap } from "../api/client";
import { saveFile } from "../lib/saveFile";
import { billingKey } from "./queries";

const PAGE = { limit: 100, offset: 0 };

export function useInvoices(tenantId: string | null) {
  return useQuery({
    queryKey: [...billingKey(tenantId), "invoices"],
    queryFn: () => unwrap(api.GET("/api/v1/invoices", { params: { query: PAGE }, ...forTenant(tenantId) })),
  });
}

export function usePayments(tenantId: string | null, invoiceId: string) {
  return useQuery({
    queryKey: [...billingKey(tenantId), "invoices", invoiceId, "payments"],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/invoices/{invoice_id}/payments", {
          params: { path: { invoice_id: invoiceId }, query: PAGE },
          ...forTenant(tenantId),
        }),
      ),
    // A card payment in flight settles when Stripe's event arrives: look again until it has.
    refetchInterval: (query) => (query.state.data?.items.some((p) => p.status === "processing") ? 2000 : false),
  });
}

export function useCreditNotes(tenantId: string | null) {
  return useQuery({
    queryKey: [...billingKey(tenantId), "invoices", "credit-notes"],
    queryFn: () => unwrap(api.GET("/api/v1/credit-notes", { params: { query: PAGE }, ...forTenant(tenantId) })),
  });
}

export function usePaymentMethod(tenantId: string | null) {
  return useQuery({
    queryKey: [...billingKey(tenantId), "payment-method"],
    queryFn: () => unwrap(api.GET("/api/v1/billing/payment-method", forTenant(tenantId))),
    retry: false,
  });
}

/** A SetupIntent for the card form: its client secret, and where Stripe.js is and the key to start it with. */
export function useStartCardSetup() {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/billing/payment-method/setup")),
  });
}

/** After Stripe.js confirmed the setup: the API asks Stripe and keeps the card; the card on file shows it. */
export function useConfirmCard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (setupIntentId: string) =>
      unwrap(api.POST("/api/v1/billing/payment-method", { body: { setup_intent_id: setupIntentId } })),
    onSuccess: (method) => queryClient.setQueryData([...billingKey(null), "payment-method"], method),
  });
}

/** Every write to an invoice refreshes the tenant's invoices, payments and credit notes. */
function useInvoiceWrite<T, R>(tenantId: string | null, write: (input: T) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...billingKey(tenantId), "invoices"] }),
  });
}

export function usePay(tenantId: string | null) {
  return useInvoiceWrite(tenantId, (invoiceId: string) =>
    unwrap(
      api.POST("/api/v1/invoices/{invoice_id}/pay", {
        params: { path: { invoice_id: invoiceId } },
        ...forTenant(tenantId),
      }),
    ),
  );
}

export function useFinalize(tenantId: string) {
  return useInvoiceWrite(tenantId, (invoiceId: string) =>
    unwrap(
      api.POST("/api/v1/invoices/{invoice_id}/finalize", {
        params: { path: { invoice_id: invoiceId } },
        ...forTenant(tenantId),
      }),
    ),
  );
}

export function useIssueCreditNote(tenantId: string) {
  return useInvoiceWrite(tenantId, (body: Schemas["CreditNoteIn"]) =>
    unwrap(api.POST("/api/v1/credit-notes", { body, ...forTenant(tenantId) })),
  );
}

export function useRecordTransfer(tenantId: string) {
  return useInvoiceWrite(tenantId, ({ invoiceId, ...body }: Schemas["BankTransferIn"] & { invoiceId: string }) =>
    unwrap(
      api.POST("/api/v1/invoices/{invoice_id}/payments", {
        params: { path: { invoice_id: invoiceId } },
        body,
        ...forTenant(tenantId),
      }),
    ),
  );
}

/** A PDF is fetched with the bearer token and handed to the browser as a file (never a tokened link). */
export function usePdfDownload(tenantId: string | null) {
  return useMutation({
    mutationFn: async ({ kind, id, name }: { kind: "invoice" | "credit-note"; id: string; name: string }) => {
      const blob =
        kind === "invoice"
          ? await unwrap(
              api.GET("/api/v1/invoices/{invoice_id}/pdf", {
                params: { path: { invoice_id: id } },
                parseAs: "blob",
                ...forTenant(tenantId),
              }),
            )
          : await unwrap(
              api.GET("/api/v1/credit-notes/{credit_note_id}/pdf", {
                params: { path: { credit_note_id: id } },
                parseAs: "blob",
                ...forTenant(tenantId),
              }),
            );
      saveFile(blob as Blob, `${name}.pdf`);
    },
  });
}

const RUNS_KEY = ["billing", "runs"];

/** The runs so far; while any is running (a worker bills it), looked at again every two seconds. */
export function useRuns() {
  return useQuery({
    queryKey: RUNS_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/billing/runs", { params: { query: { limit: 50, offset: 0 } } })),
    refetchInterval: (query) => (query.state.data?.items.some((run) => run.status === "running") ? 2000 : false),
  });
}

/** Starting a run answers at once (202) with the run recorded; a worker carries it out (useRun follows it). */
export function useStartRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["BillingRunIn"]) => unwrap(api.POST("/api/v1/billing/runs", { body })),
    onSuccess: (run) => {
      queryClient.setQueryData([...RUNS_KEY, run.id], run);
      return queryClient.invalidateQueries({ queryKey: RUNS_KEY, exact: true });
    },
  });
}

/** One run, looked at every second while it runs: its progress, then its results. */
export function useRun(runId: string) {
  return useQuery({
    queryKey: [...RUNS_KEY, runId],
    queryFn: () => unwrap(api.GET("/api/v1/billing/runs/{run_id}", { params: { path: { run_id: runId } } })),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 1000 : false),
  });
}

export function useReceivables(offset: number, limit: number) {
  return useQuery({
    queryKey: ["billing", "receivables", offset, limit],
    queryFn: () => unwrap(api.GET("/api/v1/billing/receivables", { params: { query: { offset, limit } } })),
  });
}
