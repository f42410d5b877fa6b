/**
 * The words of the documents to book and the period close, in their own namespace ("bookdocs"), added
 * to i18next when one of their screens first loads (like ./i18n.ts for the rest of the books).
 */
import i18n from "../i18n";
import ar from "../i18n/ar/bookdocs.json";
import en from "../i18n/en/bookdocs.json";

export const DOCS_NS = "bookdocs";

if (!i18n.hasResourceBundle("en", DOCS_NS)) {
  i18n.addResourceBundle("en", DOCS_NS, en);
  i18n.addResourceBundle("ar", DOCS_NS, ar);
}
