/**
 * The words of the bank screens (accounts, statement import, reconciliation) in their own namespace
 * ("bookbank"), added to i18next when the Bank tab first loads (like ./i18n.ts for the rest of the books).
 */
import i18n from "../i18n";
import ar from "../i18n/ar/bookbank.json";
import en from "../i18n/en/bookbank.json";

export const BANK_NS = "bookbank";

if (!i18n.hasResourceBundle("en", BANK_NS)) {
  i18n.addResourceBundle("en", BANK_NS, en);
  i18n.addResourceBundle("ar", BANK_NS, ar);
}
