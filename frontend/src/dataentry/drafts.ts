/** Values typed into a record and not yet saved, kept in this browser so a reload or a crash loses nothing. */
const PREFIX = "bo-saas.data-entry.draft.";

export function loadDraft(recordId: string): Record<string, string> | null {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(PREFIX + recordId) ?? "null");
    return stored && typeof stored === "object" ? (stored as Record<string, string>) : null;
  } catch {
    return null;
  }
}

export function saveDraft(recordId: string, values: Record<string, string>): void {
  localStorage.setItem(PREFIX + recordId, JSON.stringify(values));
}

export function dropDraft(recordId: string): void {
  localStorage.removeItem(PREFIX + recordId);
}
