import { describe, expect, it } from "vitest";
import ar from "../i18n/ar/dataentry.json";
import en from "../i18n/en/dataentry.json";
import i18n from "../i18n";
import { NS } from "./i18n";
import { ACTIONS } from "./shortcuts";

function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("the data entry catalogues", () => {
  it("say the same things in English and Arabic", () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
  });

  it("name every shortcut action and every problem the checks give", () => {
    for (const action of ACTIONS) expect(en.shortcuts).toHaveProperty(action);
    for (const code of ["required", "notInteger", "notNumber", "notDate", "notBoolean", "notChoice", "notEmail", "atLeast", "atMost", "longerThan", "notForm", "tooLong"]) {
      expect(en.problem).toHaveProperty(code);
    }
  });

  it("are loaded into i18next with the desk's screens", async () => {
    await i18n.changeLanguage("ar");
    expect(i18n.t("section.title", { ns: NS })).toBe("إدخال البيانات");
    await i18n.changeLanguage("en");
    expect(i18n.t("problem.atLeast", { ns: NS, bound: "0" })).toBe("must be at least 0");
  });
});
