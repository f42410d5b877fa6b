/**
 * The employee form's values and what is sent from them, kept apart from the screen so it can be tested.
 *
 * The form holds text (an empty box is ""). A new employee is sent whole; a change sends only the fields
 * that differ from the employee as loaded, with null for a box that was emptied (the API clears it), and
 * `personal` only when a personal box was changed: sent, it replaces the whole personal record, so an
 * untouched (or masked) record must never be sent back.
 */
import { ApiError, type Schemas } from "../api/client";
import { minorDigits } from "../billing/money";
import { formProblems } from "../admin/problems";

export type Employee = Schemas["EmployeeOut"];
export type EmployeeIn = Schemas["EmployeeIn"];
export type EmployeeUpdate = Schemas["EmployeeUpdate"];
export type ContractType = EmployeeIn["contract_type"];

export const CONTRACT_TYPES: ContractType[] = ["permanent", "fixed_term", "part_time", "contractor", "intern"];
export const PERSONAL_FIELDS = ["national_id", "iban", "salary", "currency", "birth_date", "address"] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];
/** Fields the API may clear with null; the others (name, start date, contract) always have a value. */
const CLEARABLE = ["email", "job_title", "department", "manager_id", "end_date"] as const;
const REQUIRED = ["name", "start_date", "contract_type"] as const;

export interface EmployeeForm {
  employee_number: string;
  name: string;
  email: string;
  job_title: string;
  department: string;
  manager_id: string;
  contract_type: ContractType;
  start_date: string;
  end_date: string;
  /** Salary in major units as typed ("12500.00"); sent in minor units of the currency. */
  personal: Record<PersonalField, string>;
}

export const FORM_FIELDS = [
  "employee_number", "name", "email", "job_title", "department", "manager_id", "contract_type", "start_date",
  "end_date", ...PERSONAL_FIELDS,
] as const;

const BLANK_PERSONAL: Record<PersonalField, string> = {
  national_id: "", iban: "", salary: "", currency: "", birth_date: "", address: "",
};

/** The form for a new employee (no employee) or for one as loaded; masked personal data reads as empty. */
export function formOf(employee: Employee | null, defaultCurrency = ""): EmployeeForm {
  if (!employee) {
    return {
      employee_number: "", name: "", email: "", job_title: "", department: "", manager_id: "",
      contract_type: "permanent", start_date: "", end_date: "",
      personal: { ...BLANK_PERSONAL, currency: defaultCurrency },
    };
  }
  const personal = employee.personal;
  const currency = personal.currency ?? "";
  return {
    employee_number: employee.employee_number,
    name: employee.name,
    email: employee.email ?? "",
    job_title: employee.job_title ?? "",
    department: employee.department ?? "",
    manager_id: employee.manager_id ?? "",
    contract_type: employee.contract_type,
    start_date: employee.start_date,
    end_date: employee.end_date ?? "",
    personal: {
      national_id: personal.national_id ?? "",
      iban: personal.iban ?? "",
      salary: personal.salary == null ? "" : majorUnits(personal.salary, currency),
      currency,
      birth_date: personal.birth_date ?? "",
      address: personal.address ?? "",
    },
  };
}

function majorUnits(minor: number, currency: string): string {
  const digits = minorDigits(currency || "XXX");
  return (minor / 10 ** digits).toFixed(digits);
}

/** A typed salary in minor units; undefined when it is not a number the API could take. */
export function salaryMinor(typed: string, currency: string): number | undefined {
  const value = Number(typed.trim().replace(",", "."));
  if (!typed.trim() || !Number.isFinite(value) || value < 0) return undefined;
  return Math.round(value * 10 ** minorDigits(currency || "XXX"));
}

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

function personalBody(personal: Record<PersonalField, string>): Schemas["PersonalIn"] {
  const currency = personal.currency.trim().toUpperCase();
  return {
    national_id: orNull(personal.national_id),
    iban: orNull(personal.iban),
    // A salary the browser cannot read is sent as typed: the API refuses it under the salary field.
    salary: personal.salary.trim() ? (salaryMinor(personal.salary, currency) ?? (personal.salary as never)) : null,
    currency: orNull(currency),
    birth_date: orNull(personal.birth_date),
    address: orNull(personal.address),
  };
}

export function personalChanged(initial: EmployeeForm, form: EmployeeForm): boolean {
  return PERSONAL_FIELDS.some((name) => initial.personal[name].trim() !== form.personal[name].trim());
}

/** The body that adds the employee; personal data only when the form shows it and something was typed. */
export function createBody(form: EmployeeForm, withPersonal: boolean): EmployeeIn {
  const body: EmployeeIn = {
    employee_number: form.employee_number.trim(),
    name: form.name.trim(),
    contract_type: form.contract_type,
    start_date: form.start_date,
  };
  for (const name of CLEARABLE) {
    const value = orNull(form[name]);
    if (value !== null) body[name] = value;
  }
  if (withPersonal && personalChanged(formOf(null, form.personal.currency), form)) {
    body.personal = personalBody(form.personal);
  }
  return body;
}

/** The PATCH body: only what changed from `initial`, null for an emptied box, `personal` only when edited. */
export function patchBody(initial: EmployeeForm, form: EmployeeForm, withPersonal: boolean): EmployeeUpdate {
  const body: EmployeeUpdate = {};
  for (const name of CLEARABLE) {
    if (initial[name].trim() !== form[name].trim()) body[name] = orNull(form[name]);
  }
  for (const name of REQUIRED) {
    // These cannot be cleared: an emptied box is sent as "" so the API names the field, not kept silently.
    if (initial[name].trim() !== form[name].trim()) (body as Record<string, string>)[name] = form[name].trim();
  }
  if (withPersonal && personalChanged(initial, form)) body.personal = personalBody(form.personal);
  return body;
}

/**
 * The server's words about the form, by field: the HR checks' `extra.problems` map (personal fields
 * named bare, "iban"), a duplicate number's `extra.field` (409), or Litestar's body validation
 * ("personal.salary"); anything about no field goes above the form.
 */
export function employeeProblems(error: unknown): { fields: Record<string, string>; others: string[] } {
  if (!(error instanceof ApiError)) return { fields: {}, others: [] };
  const extra = (error.extra ?? {}) as { problems?: unknown; field?: unknown };
  if (extra.problems && typeof extra.problems === "object" && !Array.isArray(extra.problems)) {
    const fields: Record<string, string> = {};
    const others: string[] = [];
    for (const [field, message] of Object.entries(extra.problems as Record<string, unknown>)) {
      if ((FORM_FIELDS as readonly string[]).includes(field)) fields[field] = String(message);
      else others.push(`${field}: ${String(message)}`);
    }
    return { fields, others };
  }
  if (typeof extra.field === "string" && (FORM_FIELDS as readonly string[]).includes(extra.field)) {
    return { fields: { [extra.field]: error.message }, others: [] };
  }
  const found = formProblems(
    new ApiError(error.status, error.message, unnested(error.extra)),
    FORM_FIELDS,
  );
  return found;
}

/** Litestar names a personal field "personal.iban"; the form's box is "iban". */
function unnested(extra: unknown): unknown {
  if (!Array.isArray(extra)) return extra;
  return extra.map((entry: { key?: unknown }) =>
    typeof entry?.key === "string" ? { ...entry, key: entry.key.replace(/^personal\./, "") } : entry,
  );
}
