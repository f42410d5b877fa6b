/**
 * Which batch and records a chunk's work item is about. The API has no link from a work item to its
 * chunk (see the report): the import names it in the item's payload ("Batch <file>, chunk <n> of
 * <m>", with its record count), and a batch's records are listed in row order, chunk after chunk of
 * the schema's chunk size. So: the batch of that file made last before the item, and the rows of
 * chunk n (checked on the records themselves: each names its chunk).
 */

export interface ChunkRef {
  filename: string;
  number: number;
  count: number;
  records: number;
}

const SOURCE = /^Batch (.+), chunk (\d+) of (\d+)$/s;

/** The chunk an item's payload names, or null for an item that is not a batch's chunk. */
export function chunkRefOf(payload: Record<string, unknown>): ChunkRef | null {
  const source = typeof payload.source === "string" ? SOURCE.exec(payload.source) : null;
  const records = payload.record_count;
  if (!source || typeof records !== "number" || records < 1) return null;
  return { filename: source[1], number: Number(source[2]), count: Number(source[3]), records };
}

interface BatchLike {
  id: string;
  filename: string;
  status: string;
  created_at: string;
}

/** The batches that may hold the chunk, the likeliest first: same file, chunked, made before the item. */
export function candidateBatches<B extends BatchLike>(batches: readonly B[], ref: ChunkRef, itemCreatedAt: string): B[] {
  const made = Date.parse(itemCreatedAt);
  return batches
    .filter((batch) => batch.filename === ref.filename && batch.status !== "importing" && batch.status !== "failed")
    .filter((batch) => Date.parse(batch.created_at) <= made)
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
}

/** Where the chunk's records start in the batch's row order, and how many there are. */
export function chunkWindow(ref: ChunkRef, chunkSize: number): { offset: number; limit: number } {
  return { offset: (ref.number - 1) * chunkSize, limit: ref.records };
}

interface RecordLike {
  status: string;
  my_values?: unknown;
}

/**
 * Whether the record still needs this keyer: not accepted, not with an adjudicator, and (double
 * keying) not already keyed by them, who wait for the other pass.
 */
export function needsKeying(record: RecordLike): boolean {
  if (record.status === "awaiting_second_key") return record.my_values === null || record.my_values === undefined;
  return record.status === "pending";
}

/** Where keying resumes: the first record that needs keying (-1: none is left). */
export function firstPending(records: readonly RecordLike[]): number {
  return records.findIndex(needsKeying);
}

/** The next record that needs keying after `index`, going round; -1 when there is none. */
export function nextPending(records: readonly RecordLike[], index: number): number {
  for (let step = 1; step <= records.length; step += 1) {
    const at = (index + step) % records.length;
    if (needsKeying(records[at])) return at;
  }
  return -1;
}
