import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { createBody, type Employee, employeeProblems, formOf, patchBody, salaryMinor } from "./employeeForm";

const MASKED = { national_id: null, iban: null, salary: null, currency: null, birth_date: null, address: null };
const NOURA: Employee = {
  id: "e1",
  employee_number: "E001",
  name: "Noura Saleh",
  email: "noura@acme.example",
  job_title: "Accountant",
  department: "Finance",
  manager_id: "boss",
  contract_type: "permanent",
  start_date: "2024-01-01",
  end_date: null,
  status: "active",
  personal: { ...MASKED, iban: "DE89370400440532013000", salary: 1250000, currency: "SAR" },
};

describe("patchBody", () => {
  it("sends only the fields that changed", () => {
    const initial = formOf(NOURA);
    const form = { ...initial, job_title: "Senior accountant", end_date: "2026-12-31" };
    expect(patchBody(initial, form, true)).toEqual({ job_title: "Senior accountant", end_date: "2026-12-31" });
  });

  it("sends null for a box that was emptied, so the API clears it", () => {
    const initial = formOf(NOURA);
    expect(patchBody(initial, { ...initial, manager_id: "", email: " " }, true)).toEqual({
      manager_id: null,
      email: null,
    });
  });

  it("never sends personal data that was not edited, even masked (all null)", () => {
    const masked = formOf({ ...NOURA, personal: MASKED });
    expect(patchBody(masked, { ...masked, name: "Noura S." }, true)).toEqual({ name: "Noura S." });
    const initial = formOf(NOURA);
    expect(patchBody(initial, initial, true)).toEqual({});
  });

  it("sends the whole personal record when one personal box changed, salary in minor units", () => {
    const initial = formOf(NOURA);
    const form = { ...initial, personal: { ...initial.personal, salary: "13000.50" } };
    expect(patchBody(initial, form, true).personal).toEqual({
      national_id: null,
      iban: "DE89370400440532013000",
      salary: 1300050,
      currency: "SAR",
      birth_date: null,
      address: null,
    });
    expect(patchBody(initial, form, false)).toEqual({});
  });
});

describe("createBody", () => {
  it("leaves out empty optional fields and untouched personal data", () => {
    const form = { ...formOf(null, "SAR"), employee_number: " E9 ", name: "Omar", start_date: "2026-01-04" };
    expect(createBody(form, true)).toEqual({
      employee_number: "E9",
      name: "Omar",
      contract_type: "permanent",
      start_date: "2026-01-04",
    });
  });
});

describe("salaryMinor", () => {
  it("reads major units with the currency's minor digits", () => {
    expect(salaryMinor("12500", "SAR")).toBe(1250000);
    expect(salaryMinor("1.234", "KWD")).toBe(1234);
    expect(salaryMinor("abc", "SAR")).toBeUndefined();
  });
  it("shows a stored salary in major units", () => {
    expect(formOf(NOURA).personal.salary).toBe("12500.00");
  });
});

describe("employeeProblems", () => {
  it("puts the HR checks' problems under their fields", () => {
    const error = new ApiError(422, "The employee has problems in: end_date, iban", {
      problems: { end_date: "the last working day cannot be before the start date", iban: "bad checksum" },
    });
    expect(employeeProblems(error)).toEqual({
      fields: { end_date: "the last working day cannot be before the start date", iban: "bad checksum" },
      others: [],
    });
  });

  it("puts a duplicate number under the number", () => {
    const error = new ApiError(409, "Another employee has the number 'E001'", { field: "employee_number" });
    expect(employeeProblems(error).fields).toEqual({ employee_number: "Another employee has the number 'E001'" });
  });

  it("reads Litestar's validation of a personal field as that field", () => {
    const error = new ApiError(400, "Validation failed", [{ key: "personal.salary", message: "Expected `int`" }]);
    expect(employeeProblems(error).fields).toEqual({ salary: "Expected `int`" });
  });
});
