/** How near a document's expiry is, for the card's highlight: expired, expiring within the lead time, or fine. */
export type ExpiryState = "expired" | "soon" | "ok" | "none";

/** Reminders default to 30 days ahead (hr.compliance): the card highlights the same window. */
export const SOON_DAYS = 30;

export function expiryState(expiresOn: string | null | undefined, today: string, soonDays = SOON_DAYS): ExpiryState {
  if (!expiresOn) return "none";
  if (expiresOn < today) return "expired";
  const limit = new Date(`${today}T00:00:00Z`);
  limit.setUTCDate(limit.getUTCDate() + soonDays);
  return expiresOn <= limit.toISOString().slice(0, 10) ? "soon" : "ok";
}

/** Today's date (YYYY-MM-DD) where the browser is. */
export function localToday(now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
