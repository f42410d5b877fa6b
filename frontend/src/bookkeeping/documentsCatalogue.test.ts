import { describe, expect, it } from "vitest";
import ar from "../i18n/ar/bookdocs.json";
import en from "../i18n/en/bookdocs.json";

function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("the documents and close catalogues", () => {
  it("say the same things in English and Arabic", () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
  });

  it("name every document kind, status and close check the API answers", () => {
    expect(Object.keys(en.kind).sort()).toEqual(["bill", "receipt", "sales_invoice"]);
    expect(Object.keys(en.status).sort()).toEqual(["booked", "pending_approval", "reversed", "to_book"]);
    expect(Object.keys(en.close.checks)).toEqual(["documents_booked", "bank_reconciled", "approvals_cleared", "trial_balance_reviewed"]);
  });
});
