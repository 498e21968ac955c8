// Micro-benchmark of the redaction transform alone (no database): COPY text of a customers-like
// table, cut into 64 KiB chunks, streamed through
//   1. a plain pass-through Transform (the floor: Node stream overhead only),
//   2. the redaction transform with no rules,
//   3. the redaction transform with the realistic rule set (fake first/last names and unique
//      emails, masked phone, nulled notes).
// Prints medians of interleaved rounds: MB/s, rows/s and time relative to the plain Transform.
//   npx tsx bench/redact-transform-bench.ts [rows=400000] [rounds=5]

import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { TRule } from "@/lib/schemas/rules";
import { encodeRow } from "@/lib/pipeline/copy-text";
import { createRedactTransform } from "@/lib/pipeline/redact-transform";
import { columnMeta } from "@/lib/redaction/column-meta";
import { VOCABULARY } from "@/lib/redaction/vocabulary";

const ROWS = Number(process.argv[2] ?? 400_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const CHUNK = 64 * 1024;

const columns = [
  columnMeta("id", "int8", { notNull: true, unique: true }),
  columnMeta("first_name", "text"),
  columnMeta("last_name", "text"),
  columnMeta("email", "varchar(120)", { unique: true }),
  columnMeta("phone", "text"),
  columnMeta("notes", "text"),
  columnMeta("city", "text"),
  columnMeta("created_at", "timestamptz", { notNull: true }),
];
const rules: Record<string, TRule> = {
  first_name: { rule: "fake", kind: "first_name" },
  last_name: { rule: "fake", kind: "last_name" },
  email: { rule: "fake", kind: "email" },
  phone: { rule: "mask", format: "phone", keepLast: 2, maskChar: "*" },
  notes: { rule: "null" },
};

function dataset(): Buffer[] {
  const { FIRST_NAMES, LAST_NAMES, PLACE_WORDS } = VOCABULARY;
  let text = "";
  const parts: Buffer[] = [];
  for (let i = 1; i <= ROWS; i++) {
    const first = FIRST_NAMES[(i * 7) % FIRST_NAMES.length];
    const last = LAST_NAMES[(i * 13) % LAST_NAMES.length];
    text += encodeRow([
      String(i), first, last, `${first}.${last}.${i}@corp.example`.toLowerCase(),
      `+1 (${200 + (i % 800)}) 555-${String(i % 10000).padStart(4, "0")}`,
      i % 3 === 0 ? null : `Called on ${i % 28 + 1} March.\nPrefers email; VIP tier ${i % 5}.`,
      PLACE_WORDS[i % PLACE_WORDS.length] + "ton",
      `2024-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")} 10:${String(i % 60).padStart(2, "0")}:00+00`,
    ]);
    if (text.length > 1 << 20) {
      parts.push(Buffer.from(text));
      text = "";
    }
  }
  parts.push(Buffer.from(text));
  const all = Buffer.concat(parts);
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += CHUNK) chunks.push(all.subarray(i, i + CHUNK));
  return chunks;
}

/** Wall seconds and CPU seconds of this process (CPU time is steadier on a shared, busy machine). */
async function time(chunks: Buffer[], make: () => Transform): Promise<{ wall: number; cpu: number }> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await pipeline(Readable.from(chunks, { objectMode: false }), make(), new Writable({ write: (_c, _e, cb) => cb() }));
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: (used.user + used.system) / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const chunks = dataset();
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  const salt = Buffer.from("benchmark-salt-0123456789abcdef");
  const variants: [string, () => Transform][] = [
    ["plain Transform", () => new Transform({ transform: (c, _e, cb) => cb(null, c) })],
    ["redact, no rules", () => createRedactTransform({ columns, rules: {}, salt })],
    ["redact, realistic rules", () => createRedactTransform({ columns, rules, salt })],
  ];
  const times = new Map<string, { wall: number; cpu: number }[]>(variants.map(([n]) => [n, []]));
  await time(chunks, variants[2][1]); // warm-up
  for (let r = 0; r < ROUNDS; r++) for (const [name, make] of variants) times.get(name)!.push(await time(chunks, make));
  const base = median(times.get("plain Transform")!.map((t) => t.wall));
  console.log(`${ROWS} rows, ${(bytes / 1e6).toFixed(1)} MB of COPY text, ${chunks.length} chunks of 64 KiB, ${ROUNDS} rounds (medians)`);
  for (const [name] of variants) {
    const t = median(times.get(name)!.map((x) => x.wall));
    const cpu = median(times.get(name)!.map((x) => x.cpu));
    console.log(
      `${name.padEnd(24)} ${t.toFixed(3).padStart(7)} s  ${(bytes / 1e6 / t).toFixed(0).padStart(6)} MB/s  ${Math.round(ROWS / t).toLocaleString("en").padStart(11)} rows/s` +
        `  ${((cpu / ROWS) * 1e6).toFixed(2).padStart(6)} CPU-µs/row  ${(t / base).toFixed(1)}x plain`,
    );
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

await main();
