/**
 * Which rows of a self-refreshing list are new since the reader last saw it, so the board can
 * mark them for a moment. The first answer is the baseline: nothing on it is "new".
 */
export class FreshRows {
  private seen: Set<string> | null = null;

  /** The ids in `ids` not seen before (none the first time); remembers them all. */
  arrived(ids: string[]): Set<string> {
    const fresh = new Set(this.seen ? ids.filter((id) => !this.seen!.has(id)) : []);
    this.seen = new Set([...(this.seen ?? []), ...ids]);
    return fresh;
  }
}
