/** Percentages in the reader's language ("87.5%", "٨٧٫٥٪"): the API sends them as 0–100 or as a 0–1 share. */
import { localeOf } from "./format";

export function formatPercent(percent: number | null | undefined, language: string, fractionDigits = 1): string {
  if (percent === null || percent === undefined) return "—";
  return new Intl.NumberFormat(localeOf(language), {
    style: "percent",
    maximumFractionDigits: fractionDigits,
  }).format(percent / 100);
}

export function formatShare(share: number | null | undefined, language: string, fractionDigits = 1): string {
  return formatPercent(share === null || share === undefined ? share : share * 100, language, fractionDigits);
}
