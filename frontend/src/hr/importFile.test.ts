import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { importProblems, TEMPLATE_CSV } from "./importFile";

describe("importProblems", () => {
  it("lists a refused file's problems one line per row and column, in the file's order", () => {
    const error = new ApiError(422, "2 row(s) have problems; nothing was imported", {
      rows: [
        { row: 3, problems: { start_date: "Invalid RFC3339 encoded date", manager_number: "no employee has the number 'X'" } },
        { row: 5, problems: { iban: "bad checksum" } },
      ],
    });
    expect(importProblems(error).rows).toEqual([
      { row: 3, field: "start_date", message: "Invalid RFC3339 encoded date" },
      { row: 3, field: "manager_number", message: "no employee has the number 'X'" },
      { row: 5, field: "iban", message: "bad checksum" },
    ]);
  });

  it("puts a header problem on row 1 and leaves an unreadable file to the message", () => {
    const header = new ApiError(422, "header", { problems: { salery: "not a column this import knows" } });
    expect(importProblems(header).rows).toEqual([{ row: 1, field: "salery", message: "not a column this import knows" }]);
    const unreadable = new ApiError(422, "not a CSV", { problems: { file: "not a CSV" } });
    expect(importProblems(unreadable).rows).toEqual([]);
  });

  it("offers a template whose header names the required columns", () => {
    expect(TEMPLATE_CSV.split(",").slice(0, 3)).toEqual(["employee_number", "name", "start_date"]);
  });
});
