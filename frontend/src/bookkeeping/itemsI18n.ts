/**
 * The words of contacts, invoices, bills, payments and aging, in their own namespace ("bookitems"),
 * added to i18next when one of their screens first loads (like ./i18n.ts for the rest of the books).
 */
import i18n from "../i18n";
import ar from "../i18n/ar/bookitems.json";
import en from "../i18n/en/bookitems.json";

export const ITEMS_NS = "bookitems";

if (!i18n.hasResourceBundle("en", ITEMS_NS)) {
  i18n.addResourceBundle("en", ITEMS_NS, en);
  i18n.addResourceBundle("ar", ITEMS_NS, ar);
}
