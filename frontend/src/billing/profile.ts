/**
 * The billing profile form's draft and the request it sends. The tax rate is typed as a percentage
 * ("15", "7.5") and sent in basis points (1500, 750), the API's integer; an empty tax number is sent
 * as none, so saving without one clears it.
 */
import type { Profile, ProfileDraft } from "./queries";

export interface ProfileForm {
  legal_name: string;
  address: string;
  country: string;
  billing_email: string;
  tax_id: string;
  /** Percent, as typed: a number, or "" while empty. */
  tax_rate: number | string;
  invoice_language: "en" | "ar";
}

export const REQUIRED = ["legal_name", "address", "country", "billing_email"] as const;

export function formOf(profile: Profile, fallbackLanguage: string): ProfileForm {
  const language = profile.updated_at ? profile.invoice_language : fallbackLanguage;
  return {
    legal_name: profile.legal_name ?? "",
    address: profile.address ?? "",
    country: profile.country ?? "",
    billing_email: profile.billing_email ?? "",
    tax_id: profile.tax_id ?? "",
    tax_rate: profile.tax_rate_bp / 100,
    invoice_language: language === "ar" ? "ar" : "en",
  };
}

export function basisPoints(percent: number | string): number {
  const value = typeof percent === "number" ? percent : Number(percent.trim() || 0);
  return Math.round(value * 100);
}

/** The fields a person must still fill in. */
export function missingFields(form: ProfileForm): (typeof REQUIRED)[number][] {
  return REQUIRED.filter((field) => !form[field].trim());
}

export function requestOf(form: ProfileForm): ProfileDraft {
  const taxId = form.tax_id.trim();
  return {
    legal_name: form.legal_name.trim(),
    address: form.address.trim(),
    country: form.country.trim().toUpperCase(),
    billing_email: form.billing_email.trim(),
    tax_id: taxId || null,
    tax_rate_bp: basisPoints(form.tax_rate),
    invoice_language: form.invoice_language,
  };
}
