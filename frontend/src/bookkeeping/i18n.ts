/**
 * The Bookkeeping desk's words, in their own namespace ("bookkeeping"), added to i18next when a books
 * screen first loads, so they travel in the desk's chunk and not in the sign-in bundle.
 */
import i18n from "../i18n";
import ar from "../i18n/ar/bookkeeping.json";
import en from "../i18n/en/bookkeeping.json";

export const NS = "bookkeeping";

if (!i18n.hasResourceBundle("en", NS)) {
  i18n.addResourceBundle("en", NS, en);
  i18n.addResourceBundle("ar", NS, ar);
}
