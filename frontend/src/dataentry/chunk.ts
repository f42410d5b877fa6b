/**
 * How the keying workspace moves through a chunk's records and what it shows of each. The chunk
 * itself comes from the API (GET /api/v1/data-entry/records?work_item=<id>, queries.ts).
 *
 * Double keying is blind: a keyer starts from their own pass (`my_values`) once they have keyed
 * one, else from the imported row; a record keyed from a document has no imported values worth
 * showing, so it starts empty. The other keyer's pass never reaches the browser.
 */

interface RecordLike {
  status: string;
  values: Record<string, unknown>;
  my_values?: Record<string, unknown> | null;
  document?: unknown;
}

/**
 * Whether the record still needs this keyer: not accepted, not with an adjudicator, and (double
 * keying) not already keyed by them, who wait for the other pass.
 */
export function needsKeying(record: Pick<RecordLike, "status" | "my_values">): boolean {
  if (record.status === "awaiting_second_key") return record.my_values === null || record.my_values === undefined;
  return record.status === "pending";
}

/** Where keying resumes: the first record that needs keying (-1: none is left). */
export function firstPending(records: readonly Pick<RecordLike, "status" | "my_values">[]): number {
  return records.findIndex(needsKeying);
}

/** The next record that needs keying after `index`, going round; -1 when there is none. */
export function nextPending(records: readonly Pick<RecordLike, "status" | "my_values">[], index: number): number {
  for (let step = 1; step <= records.length; step += 1) {
    const at = (index + step) % records.length;
    if (needsKeying(records[at])) return at;
  }
  return -1;
}

/** The values the form starts from: see the module's note on double keying. */
export function startingValues(record: RecordLike, doubleKey: boolean): Record<string, unknown> {
  if (!doubleKey || record.status === "accepted") return record.values;
  if (record.my_values) return record.my_values;
  return record.document ? {} : record.values;
}

/**
 * Whether this keyer may still change the record. Single keying: until the batch closes (an
 * accepted record may be corrected). Double keying: while a pass is wanted, not once both are in.
 */
export function keyable(record: Pick<RecordLike, "status">, doubleKey: boolean): boolean {
  return !doubleKey || record.status === "pending" || record.status === "awaiting_second_key";
}

/** A draft belongs to the person typing it: two keyers of one record on one browser never share one. */
export const draftId = (personId: string, recordId: string) => `${personId}.${recordId}`;
