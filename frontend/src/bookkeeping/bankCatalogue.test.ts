import { describe, expect, it } from "vitest";
import ar from "../i18n/ar/bookbank.json";
import en from "../i18n/en/bookbank.json";

const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

const words = (tree: object) => [...new Set(keys(tree).map((key) => key.replace(PLURAL, "")))].sort();

describe("the bank screens' catalogue", () => {
  it("says the same things in English and Arabic (Arabic with its own plural forms)", () => {
    expect(words(ar)).toEqual(words(en));
  });

  it("gives every Arabic plural all six forms", () => {
    const plural = keys(ar).filter((key) => PLURAL.test(key));
    for (const stem of new Set(plural.map((key) => key.replace(PLURAL, "")))) {
      expect(plural.filter((key) => key.startsWith(`${stem}_`)).length).toBe(6);
    }
  });

  it("names every status a statement line can have", () => {
    expect(Object.keys(en.reconcile.statusLabel).sort()).toEqual(["matched", "suggested", "unmatched"]);
  });
});
