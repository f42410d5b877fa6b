/**
 * English and Arabic. Each area of the app keeps its words in its own namespace file
 * (`en/common.json`, `en/portal.json`, ...), with the Arabic twin beside it. Arabic is
 * written right to left: `applyDirection` flips the page and Mantine follows.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import arAdmin from "./ar/admin.json";
import arCommon from "./ar/common.json";
import arConsole from "./ar/console.json";
import arItems from "./ar/items.json";
import arPortal from "./ar/portal.json";
import enAdmin from "./en/admin.json";
import enCommon from "./en/common.json";
import enConsole from "./en/console.json";
import enItems from "./en/items.json";
import enPortal from "./en/portal.json";

export const LANGUAGES = ["en", "ar"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = "bo-saas.language";

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.includes(value as Language);
}

export function direction(language: Language): "ltr" | "rtl" {
  return language === "ar" ? "rtl" : "ltr";
}

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(stored)) return stored;
  return navigator.language?.toLowerCase().startsWith("ar") ? "ar" : "en";
}

export function applyDirection(language: Language): void {
  document.documentElement.lang = language;
  document.documentElement.dir = direction(language);
}

export async function changeLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  applyDirection(language);
  await i18n.changeLanguage(language);
}

const language = initialLanguage();
applyDirection(language);

void i18n.use(initReactI18next).init({
  lng: language,
  fallbackLng: "en",
  ns: ["common", "portal", "console", "admin", "items"],
  defaultNS: "common",
  resources: {
    en: { common: enCommon, portal: enPortal, console: enConsole, admin: enAdmin, items: enItems },
    ar: { common: arCommon, portal: arPortal, console: arConsole, admin: arAdmin, items: arItems },
  },
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

export default i18n;
