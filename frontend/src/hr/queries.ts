/**
 * The HR desk's server state. Employees are one tenant's: a client's requests go to their own tenant;
 * staff name the tenant they chose in the console (`?tenant=`) with X-Tenant. Cases are read across
 * the tenants the caller serves, so the console's case workspace needs no tenant chosen.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { type DeskScope, useDeskScope } from "../desks/deskScope";

export type Employee = Schemas["EmployeeOut"];
export type HrCase = Schemas["CaseOut"];
export type CaseTask = Schemas["CaseTaskOut"];
export type Checklist = Schemas["ChecklistOut"];
export type ChecklistIn = Schemas["ChecklistIn"];
export type HrDocument = Schemas["DocumentOut"];

export type HrScope = DeskScope;
export const useHrScope = useDeskScope;

export const hrKey = (tenantId: string | null) => ["hrcases", tenantId ?? "any"] as const;

export function useEmployees(scope: HrScope, search: string, limit: number, offset: number) {
  return useQuery({
    queryKey: [...hrKey(scope.tenantId), "employees", search, limit, offset],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/hr/employees", {
          params: { query: { search: search || undefined, limit, offset } },
          ...scope.headers,
        }),
      ),
    placeholderData: keepPreviousData,
    enabled: scope.tenantId !== null,
  });
}

/**
 * Whether the screens offer changes to employees: the tenant's client admin, or staff in the console. The API
 * has the last word (staff also need the hr skill, which the session does not carry): a refusal is shown.
 */
export function useMayKeep(scope: HrScope): boolean {
  const me = useMe();
  return scope.inConsole || me.role === "client_admin";
}

/** Add an employee (`create`), or change one (`id` with `update`: only what changed, see employeeForm.ts). */
export type SaveEmployee = { create: Schemas["EmployeeIn"] } | { id: string; update: Schemas["EmployeeUpdate"] };

export function useSaveEmployee(scope: HrScope) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: SaveEmployee) =>
      "create" in request
        ? unwrap(api.POST("/api/v1/hr/employees", { body: request.create, ...scope.headers }))
        : unwrap(
            api.PATCH("/api/v1/hr/employees/{employee_id}", {
              params: { path: { employee_id: request.id } },
              body: request.update,
              ...scope.headers,
            }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hrKey(scope.tenantId) }),
  });
}

export function useImportEmployees(scope: HrScope) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return unwrap(
        api.POST("/api/v1/hr/employees/import", {
          // The generated type calls the multipart body a map of strings; the form carries the real File.
          body: {} as never,
          bodySerializer: () => form,
          ...scope.headers,
        }),
      );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hrKey(scope.tenantId) }),
  });
}

export function useEmployee(scope: HrScope, employeeId: string) {
  return useQuery({
    queryKey: [...hrKey(scope.tenantId), "employee", employeeId],
    queryFn: () =>
      unwrap(api.GET("/api/v1/hr/employees/{employee_id}", { params: { path: { employee_id: employeeId } } })),
    enabled: employeeId !== "",
  });
}

export function useDocuments(scope: HrScope, employeeId: string) {
  return useQuery({
    queryKey: [...hrKey(scope.tenantId), "documents", employeeId],
    queryFn: () =>
      unwrap(api.GET("/api/v1/hr/documents", { params: { query: { employee_id: employeeId, limit: 100 } } })),
  });
}

export function useCases(scope: HrScope, query: { employee_id?: string; work_item_id?: string }) {
  return useQuery({
    queryKey: [...hrKey(scope.tenantId), "cases", query],
    queryFn: () =>
      unwrap(api.GET("/api/v1/hr/cases", { params: { query: { ...query, limit: 100 } }, ...scope.headers })),
    enabled: scope.tenantId !== null || Boolean(query.work_item_id),
  });
}

export function useChecklists(scope: HrScope) {
  return useQuery({
    queryKey: [...hrKey(scope.tenantId), "checklists"],
    queryFn: () => unwrap(api.GET("/api/v1/hr/checklists", { ...scope.headers })),
    enabled: scope.tenantId !== null,
  });
}

export function useStartCase(scope: HrScope) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["CaseIn"]) => unwrap(api.POST("/api/v1/hr/cases", { body, ...scope.headers })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["hrcases"] }),
  });
}

export function useTickTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ caseId, taskId, done }: { caseId: string; taskId: string; done: boolean }) =>
      unwrap(
        api.PATCH("/api/v1/hr/cases/{case_id}/tasks/{task_id}", {
          params: { path: { case_id: caseId, task_id: taskId } },
          body: { done },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["hrcases"] }),
  });
}
