/**
 * The book's settings (base currency and its digits, fiscal year start), read once per tenant, and
 * amounts written in that currency in the reader's language. Every amount the books' screens show
 * goes through useBookMoney, so a KWD book reads "KWD 1.250" and a USD book "US$12.50" alike.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../api/client";
import { formatMoney } from "../billing/money";
import { type BooksScope, booksKey } from "./queries";
import { formatAmount } from "./reports";

export type BookSettings = Schemas["BookSettingsOut"];

export function useBookSettings(scope: BooksScope) {
  return useQuery({
    queryKey: [...booksKey(scope.tenantId), "settings"],
    queryFn: () => unwrap(api.GET("/api/v1/books/settings", { ...scope.headers })),
    enabled: scope.tenantId !== null,
    // The currency is fixed once entries post; a settings change arrives through a manifest apply.
    staleTime: 5 * 60_000,
  });
}

export interface BookMoney {
  /** An amount in minor units, with the book's currency (plain digits until the settings arrive). */
  format: (minor: number) => string;
  /** The base currency's minor digits, for reading typed amounts (parseAmount). */
  digits: number;
  currency: string | null;
}

export function bookMoney(settings: BookSettings | undefined, language: string): BookMoney {
  if (!settings) return { format: (minor) => formatAmount(minor, language), digits: 2, currency: null };
  const { base_currency: currency, currency_digits: digits } = settings;
  return { format: (minor) => formatMoney(minor, currency, language, digits), digits, currency };
}

export function useBookMoney(scope: BooksScope): BookMoney {
  const { i18n } = useTranslation();
  return bookMoney(useBookSettings(scope).data, i18n.language);
}
