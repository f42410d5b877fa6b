/**
 * Payroll's server state: the tenant's pay components (and each employee's own amounts), its runs and a
 * run's payslips. A run computing in the background (or making its PDFs) is polled until it is done.
 * Files (payslip PDFs, the bank file) are fetched with the session's token and handed to the browser.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "../../api/client";
import { saveFile } from "../../lib/saveFile";
import { useTenants } from "../../lib/tenants";
import { type HrScope, hrKey } from "../queries";
import { isBusy, type PayrollRun, payslipFileName } from "./payroll";

const POLL_MS = 1000;

export const payrollKey = (tenantId: string | null) => [...hrKey(tenantId), "payroll"] as const;

export function useComponents(scope: HrScope) {
  return useQuery({
    queryKey: [...payrollKey(scope.tenantId), "components"],
    queryFn: () => unwrap(api.GET("/api/v1/hr/pay-components", { ...scope.headers })),
    enabled: scope.tenantId !== null,
  });
}

export function useEmployeePay(scope: HrScope, componentId: string | null) {
  return useQuery({
    queryKey: [...payrollKey(scope.tenantId), "employee-pay", componentId],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/hr/pay-components/{component_id}/employees", {
          params: { path: { component_id: componentId ?? "" } },
          ...scope.headers,
        }),
      ),
    enabled: componentId !== null,
  });
}

export function useRuns(scope: HrScope) {
  return useQuery({
    queryKey: [...payrollKey(scope.tenantId), "runs"],
    queryFn: () =>
      unwrap(api.GET("/api/v1/hr/payroll-runs", { params: { query: { limit: 200, offset: 0 } }, ...scope.headers })),
    enabled: scope.tenantId !== null,
    refetchInterval: (query) => (query.state.data?.items.some((run) => isBusy(run)) ? POLL_MS : false),
  });
}

/** The day each month's draft run is prepared on its own, and the next date it will be. */
export function useSchedule(scope: HrScope) {
  return useQuery({
    queryKey: [...payrollKey(scope.tenantId), "schedule"],
    queryFn: () => unwrap(api.GET("/api/v1/hr/payroll-schedule", { ...scope.headers })),
    enabled: scope.tenantId !== null,
  });
}

export function useRun(scope: HrScope, runId: string) {
  return useQuery({
    queryKey: [...payrollKey(scope.tenantId), "run", runId],
    queryFn: () =>
      unwrap(api.GET("/api/v1/hr/payroll-runs/{run_id}", { params: { path: { run_id: runId } }, ...scope.headers })),
    refetchInterval: (query) => (query.state.data && isBusy(query.state.data) ? POLL_MS : false),
  });
}

export function usePayslips(scope: HrScope, run: PayrollRun | undefined) {
  return useQuery({
    // The run's status and progress in the key: a recomputed or finalized run's payslips are read again.
    queryKey: [...payrollKey(scope.tenantId), "payslips", run?.id, run?.status, run?.progress.employees_done],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/hr/payroll-runs/{run_id}/payslips", {
          params: { path: { run_id: run?.id ?? "" }, query: { limit: 200, offset: 0 } },
          ...scope.headers,
        }),
      ),
    enabled: run !== undefined && run.status !== "computing",
  });
}

/** Whether the tenant keeps books with the provider: then a finalized run can be posted to them. */
export function useKeepsBooks(scope: HrScope): boolean {
  const tenants = useTenants();
  const tenant = tenants.data?.items.find((item) => item.id === scope.tenantId);
  return Boolean(tenant?.services.includes("bookkeeping"));
}

/** A change to payroll: everything shown of this tenant's payroll is read again afterwards. */
export function usePayrollWrite<A, R>(scope: HrScope, write: (args: A) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: payrollKey(scope.tenantId) }),
  });
}

type RunStep = "approve" | "finalize" | "post" | "compute";

export function useRunStep(scope: HrScope, runId: string) {
  return usePayrollWrite(scope, (step: RunStep) => {
    const path = `/api/v1/hr/payroll-runs/{run_id}/${step}` as "/api/v1/hr/payroll-runs/{run_id}/approve";
    return unwrap(api.POST(path, { params: { path: { run_id: runId } }, ...scope.headers }));
  });
}

export function useAdjust(scope: HrScope, runId: string) {
  return usePayrollWrite(scope, ({ payslipId, body }: { payslipId: string; body: Schemas["AdjustmentIn"] }) =>
    unwrap(
      api.POST("/api/v1/hr/payroll-runs/{run_id}/payslips/{payslip_id}/adjustments", {
        params: { path: { run_id: runId, payslip_id: payslipId } },
        body,
        ...scope.headers,
      }),
    ),
  );
}

export function useRemoveAdjustment(scope: HrScope, runId: string) {
  return usePayrollWrite(scope, ({ payslipId, adjustmentId }: { payslipId: string; adjustmentId: string }) =>
    unwrap(
      api.DELETE("/api/v1/hr/payroll-runs/{run_id}/payslips/{payslip_id}/adjustments/{adjustment_id}", {
        params: { path: { run_id: runId, payslip_id: payslipId, adjustment_id: adjustmentId } },
        ...scope.headers,
      }),
    ),
  );
}

export function useReview(scope: HrScope, runId: string) {
  return usePayrollWrite(scope, (payslipId: string) =>
    unwrap(
      api.POST("/api/v1/hr/payroll-runs/{run_id}/payslips/{payslip_id}/review", {
        params: { path: { run_id: runId, payslip_id: payslipId } },
        ...scope.headers,
      }),
    ),
  );
}

export function usePayslipPdf(scope: HrScope, run: PayrollRun) {
  return useMutation({
    mutationFn: async ({ payslip, language }: { payslip: Schemas["PayslipOut"]; language: "en" | "ar" }) => {
      const file = await unwrap(
        api.GET("/api/v1/hr/payroll-runs/{run_id}/payslips/{payslip_id}/pdf", {
          params: { path: { run_id: run.id, payslip_id: payslip.id }, query: { language } },
          parseAs: "blob",
          ...scope.headers,
        }),
      );
      saveFile(file as unknown as Blob, payslipFileName(payslip, run.period, language));
    },
  });
}

export interface BankFileQuery {
  format: "csv" | "sepa";
  debtor_iban?: string;
  debtor_name?: string;
  debtor_bic?: string;
}

export function useBankFile(scope: HrScope, run: PayrollRun) {
  return useMutation({
    mutationFn: async (query: BankFileQuery) => {
      const file = await unwrap(
        api.GET("/api/v1/hr/payroll-runs/{run_id}/bank-file", {
          params: { path: { run_id: run.id }, query },
          parseAs: "blob",
          ...scope.headers,
        }),
      );
      saveFile(file as unknown as Blob, `payroll-${run.period}.${query.format === "csv" ? "csv" : "xml"}`);
    },
  });
}
