import type pg from "pg";
import { fromItem, type CatalogColumn } from "./catalog";
import { qi } from "./connect";
import { IntegerKeyCopy, type Key } from "./copy-out-keys";
import { classifyPgError } from "./errors";
import type { CopyUnit } from "./plan";

// Deletes of a delta run, the fast way, for a table whose key is one integer column without a
// rule (the twin's key is then the source's). The source's keys are read in key order on the run's
// snapshot (an index scan), then either:
// - "missing": the ranges of integers between them (and beyond the first and last) are the keys the
//   source does not have; the apply transaction deletes the twin rows in those ranges, one index
//   probe per range. Chosen when the key range holds few more integers than the table has rows
//   (a serial key with few deletions over the table's life: `max - min + 1 - reltuples` small), so
//   the twin's keys are never read;
// - "gone": else the twin's keys are read in order too (before the apply transaction, which only
//   this run writes under the target lock), at the same time, and merged here; the twin keys the
//   source lacks are deleted by value.
// Other keys are compared in the target (COPY-loaded keys, anti-join).

const INTEGER_KEYS = new Set(["int2", "int4", "int8"]);
const TYPE_RANGE: Record<string, [bigint, bigint]> = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
};
/**
 * Ranges per key: an index probe in the apply costs ~30 times a key read (measured: 100k probes
 * ~1 s, 2M keys read ~0.6 s on the bench machine), so probing pays while the expected ranges stay
 * under 2% of the rows.
 */
const MAX_RANGES_PER_ROW = 0.02;

/** The key column when the fast comparison applies to the unit, else null. */
export function mergeableKey(unit: CopyUnit, key: CatalogColumn[]): CatalogColumn | null {
  if (key.length !== 1 || unit.rules[key[0].name] || !INTEGER_KEYS.has(key[0].baseType)) return null;
  return key[0];
}

/** Integer ranges (inclusive bounds as text) holding every key the source lacks, and only those. */
export type MissingRanges = { lo: string[]; hi: string[] };

export type DeletedKeys = { missing: MissingRanges } | { gone: string[] };

/**
 * Whether probing the ranges between the source's keys beats reading the twin's keys: the key range
 * (`min`..`max` on the snapshot) leaves at most MAX_RANGES_PER_ROW of the estimated rows missing. A
 * stale estimate only costs time: the ranges are exact either way.
 */
export function probeRanges(range: { min: string | null; max: string | null }, rowsEstimate: number | null): boolean {
  if (rowsEstimate === null) return false;
  if (range.min === null || range.max === null) return true;
  const missing = BigInt(range.max) - BigInt(range.min) + 1n - BigInt(Math.round(rowsEstimate));
  return missing <= BigInt(Math.ceil(rowsEstimate * MAX_RANGES_PER_ROW));
}

/** The keys to delete from the twin: ranges the source's keys leave out, or the twin keys the source lacks (see above). */
export async function deletedKeys(o: { reader: pg.Client; writer: pg.Client; unit: CopyUnit; key: CatalogColumn; signal: AbortSignal }): Promise<DeletedKeys> {
  const k = qi(o.key.name);
  const what = `${o.unit.table.schema}.${o.unit.table.name}`;
  const range = (await o.reader.query(`SELECT min(t0.${k})::text AS min, max(t0.${k})::text AS max FROM ${fromItem(o.unit.table)} t0`)
    .catch((err) => { throw classifyPgError(err, "source", `reading the key range of ${what}`); })).rows[0] as { min: string | null; max: string | null };
  if (!probeRanges(range, o.unit.table.rowsEstimate)) return { gone: await goneKeys(o) };
  const source = o.reader.query(new IntegerKeyCopy(keysCopy(o.unit, o.key)));
  const stop = () => source.cancel(o.signal.reason);
  o.signal.addEventListener("abort", stop, { once: true });
  try {
    return { missing: await missingRanges(source, TYPE_RANGE[o.key.baseType]) };
  } catch (err) {
    throw classifyPgError(err, "source", `reading the keys of ${what}`);
  } finally {
    o.signal.removeEventListener("abort", stop);
  }
}

const keysCopy = (unit: CopyUnit, key: CatalogColumn) => `COPY (SELECT t0.${qi(key.name)} FROM ${fromItem(unit.table)} t0 ORDER BY 1) TO STDOUT`;

/** The ranges within [typeMin, typeMax] that ascending `source` keys leave out. */
export async function missingRanges(source: AsyncIterator<Key[]>, [typeMin, typeMax]: [bigint, bigint]): Promise<MissingRanges> {
  const out: MissingRanges = { lo: [], hi: [] };
  const add = (lo: Key, hi: Key) => { out.lo.push(String(lo)); out.hi.push(String(hi)); };
  let prev: Key | null = null;
  for (let b = await source.next(); !b.done; b = await source.next()) {
    for (const key of b.value) {
      if (prev === null) {
        if (key > typeMin) add(typeMin, minus1(key));
      } else if (key <= prev) {
        throw new Error("The source's keys did not come in ascending order.");
      } else if (key > plus1(prev)) add(plus1(prev), minus1(key));
      prev = key;
    }
  }
  if (prev === null) add(typeMin, typeMax);
  else if (prev < typeMax) add(plus1(prev), typeMax);
  return out;
}

// Keys of up to 15 digits are exact doubles (copy-out-keys.ts), so one more or less stays exact.
const plus1 = (k: Key): Key => (typeof k === "bigint" ? k + 1n : k + 1);
const minus1 = (k: Key): Key => (typeof k === "bigint" ? k - 1n : k - 1);

/** Reads the source's and the twin's keys in order and returns the twin keys the source does not have (as text). */
export async function goneKeys(o: { reader: pg.Client; writer: pg.Client; unit: CopyUnit; key: CatalogColumn; signal: AbortSignal }): Promise<string[]> {
  const sql = keysCopy(o.unit, o.key);
  const source = o.reader.query(new IntegerKeyCopy(sql));
  const twin = o.writer.query(new IntegerKeyCopy(sql));
  const what = `${o.unit.table.schema}.${o.unit.table.name}`;
  const failed = { source: null as unknown, twin: null as unknown };
  const side = (copy: IntegerKeyCopy, name: "source" | "twin"): AsyncIterator<Key[]> => ({
    next: () => copy.next().catch((err) => { failed[name] ??= err; throw err; }),
  });
  const stop = () => { source.cancel(o.signal.reason); twin.cancel(o.signal.reason); };
  o.signal.addEventListener("abort", stop, { once: true });
  try {
    return await goneFrom(side(source, "source"), side(twin, "twin"));
  } catch (err) {
    source.cancel(err);
    twin.cancel(err);
    if (failed.source) throw classifyPgError(failed.source, "source", `reading the keys of ${what}`);
    throw classifyPgError(failed.twin ?? err, "target", `reading the twin's keys of ${what}`);
  } finally {
    o.signal.removeEventListener("abort", stop);
  }
}

/** The keys of `twin` that `source` lacks, both ascending; reads `source` to its end (its session serves the run's next reads). */
export async function goneFrom(source: AsyncIterator<Key[]>, twin: AsyncIterator<Key[]>): Promise<string[]> {
  const gone: string[] = [];
  let a: Key[] = [];
  let i = 0;
  let srcDone = false;
  for (let b = await twin.next(); !b.done; b = await twin.next()) {
    for (const key of b.value) {
      // Advance the source past keys below this twin key (new rows, upserted by this run).
      for (;;) {
        if (i === a.length && !srcDone) {
          const n = await source.next();
          if (n.done) srcDone = true;
          else { a = n.value; i = 0; }
        }
        if (i === a.length || a[i] >= key) break;
        i++;
      }
      if (i === a.length || a[i] > key) gone.push(String(key));
    }
  }
  while (!srcDone) srcDone = !!(await source.next()).done;
  return gone;
}
