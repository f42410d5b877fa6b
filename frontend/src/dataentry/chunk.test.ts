import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { draftId, firstPending, keyable, nextPending, startingValues } from "./chunk";
import { adjudicationRows, columnProblems, formValues, savedProblems, textOf, unsettled } from "./records";

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

describe("blind double keying", () => {
  const imported = { full_name: "Ann", age: 31 };
  const record = (status: string, more: object = {}) => ({ status, values: imported, my_values: null, ...more });

  it("starts a keyer from their own pass once they have keyed one, never from anyone else's", () => {
    const mine = { full_name: "Ann", age: 40 };
    expect(startingValues(record("awaiting_second_key", { my_values: mine }), true)).toBe(mine);
    expect(startingValues(record("awaiting_second_key"), true)).toBe(imported);
    expect(startingValues(record("in_adjudication", { my_values: mine }), true)).toBe(mine);
  });

  it("starts a document's record empty, and a single-keyed or accepted record from its values", () => {
    expect(startingValues(record("pending", { document: { id: "d" } }), true)).toEqual({});
    expect(startingValues(record("pending", { document: { id: "d" } }), false)).toBe(imported);
    expect(startingValues(record("accepted", { my_values: { age: 1 } }), true)).toBe(imported);
  });

  it("lets a keyer change a record only while a pass is wanted", () => {
    expect(["pending", "awaiting_second_key", "in_adjudication", "accepted"].map((s) => keyable({ status: s }, true))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(keyable({ status: "accepted" }, false)).toBe(true);
  });

  it("keeps each person's draft of a record apart", () => {
    expect(draftId("p1", "r1")).not.toBe(draftId("p2", "r1"));
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

describe("adjudication", () => {
  const fields = [
    { name: "full_name", type: "text" },
    { name: "age", type: "integer" },
    { name: "email", type: "email" },
  ] as const;
  const adjudication = { agreed: { full_name: "Ann", email: null }, disagreements: [{ field: "age", first: 40, second: 41 }] };

  it("lays both passes side by side in the schema's order, marking the fields that differ", () => {
    expect(adjudicationRows([...fields], adjudication)).toEqual([
      { field: fields[0], first: "Ann", second: "Ann", differs: false },
      { field: fields[1], first: "40", second: "41", differs: true },
      { field: fields[2], first: "", second: "", differs: false },
    ]);
  });

  it("names the differing fields still without a chosen value", () => {
    const rows = adjudicationRows([...fields], adjudication);
    expect(unsettled(rows, {})).toEqual(["age"]);
    expect(unsettled(rows, { age: "" })).toEqual([]);
  });
});
