/**
 * The Data entry desk's words, in their own namespace ("dataentry"), added to i18next when a data
 * entry screen first loads, so they travel in the desk's chunk and not in the sign-in bundle.
 */
import i18n from "../i18n";
import ar from "../i18n/ar/dataentry.json";
import en from "../i18n/en/dataentry.json";

export const NS = "dataentry";

if (!i18n.hasResourceBundle("en", NS)) {
  i18n.addResourceBundle("en", NS, en);
  i18n.addResourceBundle("ar", NS, ar);
}
