import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { candidateBatches, chunkRefOf, chunkWindow, firstPending, nextPending } from "./chunk";
import { columnProblems, formValues, savedProblems, textOf } from "./records";

describe("chunkRefOf", () => {
  it("reads the chunk the import named in the item's payload", () => {
    expect(chunkRefOf({ source: "Batch contacts, Q3.csv, chunk 2 of 5", record_count: 50 })).toEqual({
      filename: "contacts, Q3.csv",
      number: 2,
      count: 5,
      records: 50,
    });
  });

  it("says null for an item asked for through the portal form", () => {
    expect(chunkRefOf({ source: "42 PDFs" })).toBeNull();
    expect(chunkRefOf({})).toBeNull();
  });
});

describe("candidateBatches", () => {
  const ref = { filename: "a.csv", number: 1, count: 1, records: 2 };
  const batch = (id: string, created_at: string, status = "ready", filename = "a.csv") => ({ id, created_at, status, filename });

  it("keeps chunked batches of the same file made before the item, latest first", () => {
    const batches = [
      batch("old", "2026-01-01T09:00:00Z", "done"),
      batch("new", "2026-01-02T09:00:00Z"),
      batch("later", "2026-01-03T09:00:00Z"),
      batch("other", "2026-01-02T09:00:00Z", "ready", "b.csv"),
      batch("failed", "2026-01-02T09:30:00Z", "failed"),
    ];
    expect(candidateBatches(batches, ref, "2026-01-02T10:00:00Z").map((b) => b.id)).toEqual(["new", "old"]);
  });

  it("places the chunk in the batch's row order", () => {
    expect(chunkWindow({ ...ref, number: 3, records: 7 }, 10)).toEqual({ offset: 20, limit: 7 });
  });
});

describe("resuming", () => {
  const records = ["accepted", "pending", "accepted", "pending"].map((status) => ({ status }));

  it("starts at the first record not accepted", () => {
    expect(firstPending(records)).toBe(1);
    expect(firstPending([{ status: "accepted" }])).toBe(-1);
  });

  it("leaves a double-keyed record this keyer has keyed, and one in adjudication", () => {
    const keyed = [
      { status: "awaiting_second_key", my_values: { a: 1 } },
      { status: "in_adjudication", my_values: null },
      { status: "awaiting_second_key", my_values: null },
    ];
    expect(firstPending(keyed)).toBe(2);
  });

  it("goes on to the next pending record, round to the start", () => {
    expect(nextPending(records, 1)).toBe(3);
    expect(nextPending(records, 3)).toBe(1);
    expect(nextPending([{ status: "accepted" }], 0)).toBe(-1);
  });
});

describe("records", () => {
  it("shows stored values as text the server reads back", () => {
    expect([textOf(null), textOf(true), textOf(42), textOf("12.50")]).toEqual(["", "yes", "42", "12.50"]);
    expect(formValues([{ name: "a", type: "text" }, { name: "b", type: "integer" }], { a: "x" })).toEqual({ a: "x", b: "" });
  });

  it("reads a refused save's problems by field", () => {
    const error = new ApiError(422, "Some values are not valid", { problems: { iban: "is not a valid IBAN" } });
    expect(savedProblems(error)).toEqual({ iban: "is not a valid IBAN" });
    expect(savedProblems(new ApiError(409, "The batch is done"))).toBeNull();
  });

  it("reads a header that does not match the schema", () => {
    const error = new ApiError(422, "The file's header does not match the schema", {
      unknown_columns: ["Colour"],
      missing_columns: ["Full name"],
      repeated_columns: [],
      expected: [{ name: "full_name", label: "Full name", required: true }],
    });
    expect(columnProblems(error)).toEqual({
      unknown: ["Colour"],
      missing: ["Full name"],
      repeated: [],
      expected: [{ name: "full_name", label: "Full name", required: true }],
    });
    expect(columnProblems(new ApiError(422, "The file is not a CSV"))).toBeNull();
  });
});
