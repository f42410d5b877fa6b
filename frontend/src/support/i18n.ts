/**
 * The Support desk's words, in their own namespace ("support"), added to i18next when a support
 * screen first loads, so they travel in the desk's chunk and not in the sign-in bundle.
 */
import i18n from "../i18n";
import ar from "../i18n/ar/support.json";
import en from "../i18n/en/support.json";

export const NS = "support";

if (!i18n.hasResourceBundle("en", NS)) {
  i18n.addResourceBundle("en", NS, en);
  i18n.addResourceBundle("ar", NS, ar);
}
