/** The document viewer's steps: zoom levels to move between, and pages kept within the document. */

export const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;
export const DEFAULT_ZOOM = 1;

/** The next zoom level in or out (by = 1 or -1), staying at the ends. */
export function stepZoom(zoom: number, by: 1 | -1): number {
  const at = ZOOMS.findIndex((level) => level >= zoom);
  const index = at === -1 ? ZOOMS.length - 1 : at;
  return ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, index + by))];
}

/** A page number within 1..pages. */
export function clampPage(page: number, pages: number): number {
  return Math.min(Math.max(1, page), Math.max(1, pages));
}
