/**
 * Billing's words, in their own namespace ("billing"), added to i18next when a billing screen first
 * loads, so they travel in billing's chunk and not in the sign-in bundle.
 */
import i18n from "../i18n";
import ar from "../i18n/ar/billing.json";
import en from "../i18n/en/billing.json";

export const NS = "billing";

if (!i18n.hasResourceBundle("en", NS)) {
  i18n.addResourceBundle("en", NS, en);
  i18n.addResourceBundle("ar", NS, ar);
}
