import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { formProblems } from "./problems";

describe("formProblems", () => {
  it("puts Litestar's body validation under the field it names", () => {
    const error = new ApiError(400, "Validation failed for POST /api/v1/users", [
      { message: "Expected `str` of length >= 3", key: "email", source: "body" },
    ]);
    expect(formProblems(error, ["email", "name"])).toEqual({
      fields: { email: "Expected `str` of length >= 3" },
      others: [],
    });
  });

  it("reads an indexed key as its field", () => {
    const error = new ApiError(400, "Validation failed", [
      { message: "Invalid RFC3339 encoded date", key: "holidays[0]" },
    ]);
    expect(formProblems(error, ["holidays"]).fields).toEqual({ holidays: "Invalid RFC3339 encoded date" });
  });

  it("splits the domain's listed problems between the fields they name", () => {
    const error = new ApiError(400, "timezone: bad; plan: unknown plan 'gold'", {
      problems: ["timezone: 'Mars/Base' is not a known IANA time zone", "plan: unknown plan 'gold'"],
    });
    expect(formProblems(error, ["timezone", "plan"]).fields).toEqual({
      timezone: "'Mars/Base' is not a known IANA time zone",
      plan: "unknown plan 'gold'",
    });
  });

  it("reads a single detail that names a field", () => {
    const error = new ApiError(400, "skills: unknown skill 'cooking'");
    expect(formProblems(error, ["skills"]).fields).toEqual({ skills: "unknown skill 'cooking'" });
  });

  it("keeps words about no field on the form whole, for above the form", () => {
    const conflict = new ApiError(409, "You cannot demote or deactivate yourself; ask another admin");
    expect(formProblems(conflict, ["role"])).toEqual({
      fields: {},
      others: ["You cannot demote or deactivate yourself; ask another admin"],
    });
    const elsewhere = new ApiError(400, "Validation failed", [{ message: "Expected `int`", key: "capacity" }]);
    expect(formProblems(elsewhere, ["name"]).others).toEqual(["capacity: Expected `int`"]);
  });

  it("shows a 409 about an address that has an account beside the email field", () => {
    const conflict = new ApiError(409, "email: an account with email ana@acme.example already exists");
    expect(formProblems(conflict, ["email", "name", "role"])).toEqual({
      fields: { email: "an account with email ana@acme.example already exists" },
      others: [],
    });
  });

  it("places a nested field the form shows by its full name, and an indexed one by its root", () => {
    const taken = new ApiError(409, "first_admin.email: an account with email ana@acme.example already exists");
    expect(formProblems(taken, ["name", "services", "first_admin.email"]).fields).toEqual({
      "first_admin.email": "an account with email ana@acme.example already exists",
    });
    const refused = new ApiError(400, "services[1]: ...", {
      problems: ['services[1]: "hr" is not included in plan "starter"'],
    });
    expect(formProblems(refused, ["services", "first_admin.email"]).fields).toEqual({
      services: '"hr" is not included in plan "starter"',
    });
    const schema = new ApiError(400, "Validation failed", [{ message: "Expected `str`", key: "first_admin.name" }]);
    expect(formProblems(schema, ["first_admin.name"]).fields).toEqual({ "first_admin.name": "Expected `str`" });
  });

  it("has nothing to place for an error that is not the server's", () => {
    expect(formProblems(new TypeError("Failed to fetch"), ["name"])).toEqual({ fields: {}, others: [] });
  });
});
