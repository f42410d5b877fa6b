import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import {
  buildPayload,
  checkField,
  checkRequest,
  type FormField,
  initialValues,
  parseFields,
  sortServerProblems,
} from "./requestForm";

const field = (overrides: Partial<FormField> & Pick<FormField, "type">): FormField => ({
  name: "f",
  required: false,
  ...overrides,
});

// The built-in data-entry form and a custom one, as GET /api/v1/service-types sends them.
const dataEntry = parseFields([
  { name: "source", label: "What to key in", type: "text", required: true },
  { name: "record_count", label: "Number of records", type: "integer", required: false, min: 1 },
  { name: "deadline_note", label: "Anything about timing", type: "string", required: false },
]);

describe("parseFields", () => {
  it("keeps the known keys, typed, and defaults required to false", () => {
    expect(dataEntry[1]).toEqual({
      name: "record_count",
      type: "integer",
      label: "Number of records",
      required: false,
      choices: undefined,
      min: 1,
      max: undefined,
      help: undefined,
    });
  });

  it("drops a field of a type the screen cannot draw instead of failing the whole form", () => {
    expect(parseFields([{ name: "x", type: "signature" }, { name: "y", type: "date" }]).map((f) => f.name)).toEqual([
      "y",
    ]);
  });
});

describe("initialValues", () => {
  it("starts switches off and everything else blank", () => {
    const fields = parseFields([
      { name: "urgent", type: "boolean" },
      { name: "count", type: "number" },
      { name: "store", type: "choice", choices: ["a"] },
    ]);
    expect(initialValues(fields)).toEqual({ urgent: false, count: "", store: "" });
  });
});

describe("checkField", () => {
  it("asks for a required field, even when it holds only spaces", () => {
    expect(checkField(field({ type: "text", required: true }), "   ")).toEqual({ key: "required" });
    expect(checkField(field({ type: "text" }), "")).toBeNull();
  });

  it("accepts false as an answer to a required yes/no question", () => {
    expect(checkField(field({ type: "boolean", required: true }), false)).toBeNull();
  });

  it("holds numbers to whole numbers and to their bounds, like the server", () => {
    const count = field({ type: "integer", min: 1, max: 10 });
    expect(checkField(count, 2.5)).toEqual({ key: "integer" });
    expect(checkField(count, 0)).toEqual({ key: "min", values: { min: 1 } });
    expect(checkField(count, 11)).toEqual({ key: "max", values: { max: 10 } });
    expect(checkField(count, 10)).toBeNull();
    expect(checkField(field({ type: "number", min: 0 }), 0.5)).toBeNull();
  });

  it("keeps a one-line field to one line and within 500 characters", () => {
    expect(checkField(field({ type: "string" }), "a\nb")).toEqual({ key: "oneLine" });
    expect(checkField(field({ type: "string" }), "x".repeat(501))).toEqual({ key: "tooLong", values: { max: 500 } });
    expect(checkField(field({ type: "text" }), "a\nb")).toBeNull();
  });

  it("wants a real calendar date and a plausible email address", () => {
    expect(checkField(field({ type: "date" }), "2026-02-30")).toEqual({ key: "date" });
    expect(checkField(field({ type: "date" }), "2026-02-28")).toBeNull();
    expect(checkField(field({ type: "email" }), "someone@")).toEqual({ key: "email" });
    expect(checkField(field({ type: "email" }), "a@b.example")).toBeNull();
  });

  it("accepts only one of a choice field's choices", () => {
    const store = field({ type: "choice", choices: ["riyadh", "jeddah"] });
    expect(checkField(store, "dammam")).toEqual({ key: "choice" });
    expect(checkField(store, "jeddah")).toBeNull();
  });
});

describe("checkRequest", () => {
  it("lists every problem by field, the title included", () => {
    const problems = checkRequest(dataEntry, { source: "", record_count: 0, deadline_note: "" }, " ");
    expect(problems).toEqual({
      title: { key: "required" },
      source: { key: "required" },
      record_count: { key: "min", values: { min: 1 } },
    });
  });

  it("is empty for a request that can be sent", () => {
    expect(checkRequest(dataEntry, { source: "Invoices", record_count: "", deadline_note: "" }, "May invoices")).toEqual(
      {},
    );
  });
});

describe("buildPayload", () => {
  it("leaves blanks out, trims text and sends numbers as numbers", () => {
    const fields = [...dataEntry, ...parseFields([{ name: "signed", type: "boolean" }])];
    const values = { source: "  the May batch ", record_count: 40, deadline_note: "", signed: false };
    expect(buildPayload(fields, values)).toEqual({ source: "the May batch", record_count: 40, signed: false });
  });
});

describe("sortServerProblems", () => {
  const names = dataEntry.map((f) => f.name);

  it("puts a payload problem on the field it names and the rest at the top", () => {
    const error = new ApiError(400, "The request does not match its form", {
      problems: ["payload.source: What to key in is required", "payload.colour: not a field of this service's form"],
    });
    expect(sortServerProblems(error, names)).toEqual({
      byField: { source: "What to key in is required" },
      general: ["payload.colour: not a field of this service's form"],
    });
  });

  it("reads Litestar's validation list for the title", () => {
    const error = new ApiError(400, "Validation failed for POST /api/v1/work-items", [
      { key: "title", message: "String should have at most 300 characters", source: "body" },
    ]);
    expect(sortServerProblems(error, names).byField).toEqual({ title: "String should have at most 300 characters" });
  });

  it("shows a problem without a field, such as an unavailable service, at the top", () => {
    const error = new ApiError(400, "Service 'hr' is not available to Acme Trading LLC");
    expect(sortServerProblems(error, names)).toEqual({
      byField: {},
      general: ["Service 'hr' is not available to Acme Trading LLC"],
    });
  });
});
