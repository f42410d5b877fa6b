import { describe, expect, it } from "vitest";
import ar from "../i18n/ar/support.json";
import en from "../i18n/en/support.json";
import i18n from "../i18n";
import { NS } from "./i18n";

/** Every key path, with plural suffixes folded (Arabic has more plural forms than English). */
function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" && value !== null
      ? keys(value, `${prefix}${key}.`)
      : [`${prefix}${key.replace(/_(zero|one|two|few|many|other)$/, "")}`],
  );
}

describe("the support catalogues", () => {
  it("say the same things in English and Arabic", () => {
    expect([...new Set(keys(ar))].sort()).toEqual([...new Set(keys(en))].sort());
  });

  it("are loaded into i18next with the desk's screens", async () => {
    await i18n.changeLanguage("ar");
    expect(i18n.t("reply.send", { ns: NS })).toBe("إرسال الرد");
    expect(i18n.t("macros.braces", { ns: NS, open: "{{", close: "}}" })).toContain("{{ و}}");
    await i18n.changeLanguage("en");
    expect(i18n.t("tickets.count", { ns: NS, count: 2, n: "2" })).toBe("2 tickets");
  });
});
