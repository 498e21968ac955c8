// Micro-benchmark of redaction alone (no database).
//   npm run bench:redact -- [--rows 400000] [--rounds 5] [--threads 1,2,4] [--values 100000]
// (built like the worker, scripts/build-worker.ts, so that its threads start as a worker's do:
// `npx tsx bench/redact-transform-bench.ts` also works, with ~0.6 CPU-s of tsx per thread start.)
// 1. Each rule's cost per value: the compiled rule called on distinct inputs (no cache), CPU time.
//    Goal (issue 14): none above 1 µs per value except json_paths.
// 2. Transform throughput on COPY text of a customers-like table (bench/perf-dataset.sql's
//    columns), cut into 64 KiB chunks, with the rule set (fake first name, last name and
//    email, masked phone, hashed ssn, nulled notes): a plain pass-through Transform (the floor),
//    the transform without rules, with the rules on the main thread ("1 thread", what a clone
//    does today for a text COPY), with the rules on 2 and 4 worker threads (parallel-redact-transform.ts;
//    worker start-up included; goal: >= 1.7x with 2 threads where 2 cores are free), and the same
//    rows as binary COPY through the binary transform (redact-binary.ts, what a clone runs where
//    the column types allow).
// Medians of interleaved rounds. The machine may be shared: the load average is printed, and the
// ratios (x plain, speed-up over 1 thread) are the figures to compare, not the absolute µs.

import { availableParallelism, loadavg } from "node:os";
import { Readable, Transform, Writable, type Duplex } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { ZRule, type TRule } from "@/lib/schemas/rules";
import { encodeRow } from "@/lib/pipeline/copy-text";
import { createParallelRedactTransform } from "@/lib/pipeline/parallel-redact-transform";
import { createRedactTransform } from "@/lib/pipeline/redact-transform";
import { createBinaryRedactTransform } from "@/lib/pipeline/redact-binary";
import { compileRule } from "@/lib/redaction/catalogue";
import { columnMeta } from "@/lib/redaction/column-meta";
import { VOCABULARY } from "@/lib/redaction/vocabulary";

const { values: argv } = parseArgs({
  options: { rows: { type: "string" }, rounds: { type: "string" }, threads: { type: "string" }, values: { type: "string" } },
});
const ROWS = Number(argv.rows ?? 400_000);
const ROUNDS = Number(argv.rounds ?? 5);
const VALUES = Number(argv.values ?? 100_000);
const THREADS = (argv.threads ?? "1,2,4").split(",").map(Number).filter((n) => n > 0);
const CHUNK = 64 * 1024;
const salt = Buffer.from("benchmark-salt-0123456789abcdef");
const { FIRST_NAMES, LAST_NAMES } = VOCABULARY;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

// ---- 1. per-rule cost ----------------------------------------------------------------------

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const RULES: { name: string; rule: unknown; type: string; unique?: boolean; input: (i: number) => string }[] = [
  { name: "fake email", rule: { rule: "fake", kind: "email" }, type: "text", unique: true, input: (i) => `${FIRST_NAMES[i % 97].toLowerCase()}.${i}@gmail.com` },
  { name: "fake first name", rule: { rule: "fake", kind: "first_name" }, type: "text", input: (i) => `${FIRST_NAMES[i % FIRST_NAMES.length]}${i}` },
  { name: "fake last name", rule: { rule: "fake", kind: "last_name" }, type: "text", input: (i) => `${LAST_NAMES[i % LAST_NAMES.length]}${i}` },
  { name: "hash on text (ssn)", rule: { rule: "hash" }, type: "text", input: (i) => `${pad(100 + (i % 800), 3)}-${pad(i % 99, 2)}-${pad(i % 9999, 4)}${i}` },
  { name: "hash on integer (int8)", rule: { rule: "hash" }, type: "int8", unique: true, input: (i) => String(1 + i * 7919) },
  { name: "hash on integer (int4)", rule: { rule: "hash" }, type: "int4", unique: true, input: (i) => String(1 + i * 7919) },
  { name: "mask phone", rule: { rule: "mask", format: "phone", keepLast: 2 }, type: "text", input: (i) => `(${200 + (i % 800)}) ${pad(i % 1000, 3)}-${pad(i % 10000, 4)}` },
  { name: "date_shift", rule: { rule: "date_shift" }, type: "date", input: (i) => `${1940 + (i % 68)}-${pad((i % 12) + 1, 2)}-${pad((i % 28) + 1, 2)}` },
  {
    name: "json_paths (2 paths)",
    rule: { rule: "json_paths", paths: [{ path: "$.last_ip", apply: { rule: "fake", kind: "ip" } }, { path: "$.prefs.lang", apply: { rule: "null" } }] },
    type: "jsonb",
    input: (i) => `{"tags": ["t${i % 17}", "t${i % 29}"], "tier": "pro", "prefs": {"tz": "UTC+1", "lang": "en"}, "score": ${i % 1000}.25, "last_ip": "10.${i % 256}.${(i >> 8) % 256}.${i % 251}"}`,
  },
];

function ruleCosts() {
  const compiled = RULES.map((r) => ({
    ...r,
    f: compileRule(ZRule.parse(r.rule), columnMeta("c", r.type, { unique: r.unique }), { salt }),
    inputs: Array.from({ length: VALUES }, (_, i) => r.input(i)),
    cpu: [] as number[],
  }));
  let sink = 0;
  for (const r of compiled) for (let i = 0; i < Math.min(VALUES, 20_000); i++) sink += r.f(r.inputs[i])?.length ?? 0; // warm-up (JIT)
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of compiled) {
      const start = process.cpuUsage();
      for (let i = 0; i < VALUES; i++) sink += r.f(r.inputs[i])?.length ?? 0;
      const used = process.cpuUsage(start);
      r.cpu.push((used.user + used.system) / VALUES);
    }
  }
  console.log(`Per-rule cost: ${VALUES.toLocaleString("en")} distinct values each, CPU-µs per value, median of ${ROUNDS} rounds (load ${load()})`);
  for (const r of compiled) {
    const us = median(r.cpu);
    const goal = r.name.startsWith("json_paths") ? "" : us <= 1 ? "  ok (<= 1 µs)" : "  over 1 µs";
    console.log(`  ${r.name.padEnd(24)} ${us.toFixed(3).padStart(7)} µs${goal}`);
  }
  if (sink === -1) console.log(); // keeps the results alive
}

// ---- 2. transform throughput -----------------------------------------------------------------

const columns = [
  columnMeta("id", "int8", { notNull: true, unique: true }),
  columnMeta("first_name", "text", { notNull: true }),
  columnMeta("last_name", "text", { notNull: true }),
  columnMeta("email", "text", { notNull: true, unique: true }),
  columnMeta("phone", "text"),
  columnMeta("ssn", "text"),
  columnMeta("date_of_birth", "date"),
  columnMeta("street", "text"),
  columnMeta("city", "text"),
  columnMeta("zip", "text"),
  columnMeta("notes", "text"),
  columnMeta("profile", "jsonb"),
  columnMeta("created_at", "timestamptz", { notNull: true }),
  columnMeta("updated_at", "timestamptz", { notNull: true }),
];
/** The rule set of issue 14 (and of `npm run bench`). */
const rules: Record<string, TRule> = {
  first_name: { rule: "fake", kind: "first_name" },
  last_name: { rule: "fake", kind: "last_name" },
  email: { rule: "fake", kind: "email" },
  phone: { rule: "mask", format: "phone", keepLast: 2, maskChar: "*" },
  ssn: { rule: "hash", length: 16, encoding: "hex" },
  notes: { rule: "null" },
};

/** Binary COPY of rows with these columns' types: the values as PostgreSQL's send functions write them. */
function binaryCopy(rows: Iterable<(string | null)[]>): Buffer {
  const EPOCH_2000 = Date.UTC(2000, 0, 1);
  let buf = Buffer.alloc(1 << 20);
  let pos = buf.write("PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0", 0, "latin1");
  const room = (n: number) => {
    if (pos + n <= buf.length) return;
    const next = Buffer.alloc(Math.max(buf.length * 2, pos + n));
    buf.copy(next, 0, 0, pos);
    buf = next;
  };
  for (const fields of rows) {
    room(2);
    pos = buf.writeInt16BE(fields.length, pos);
    fields.forEach((v, i) => {
      const type = columns[i].baseType;
      room(4 + (v === null ? 0 : 8 + 3 * v.length));
      if (v === null) pos = buf.writeInt32BE(-1, pos);
      else if (type === "int8") pos = buf.writeBigInt64BE(BigInt(v), buf.writeInt32BE(8, pos));
      else if (type === "date") pos = buf.writeInt32BE(Math.round((Date.parse(v) - EPOCH_2000) / 86_400_000), buf.writeInt32BE(4, pos));
      else if (type === "timestamptz") pos = buf.writeBigInt64BE(BigInt(Date.parse(v.replace(" ", "T").replace("+00", "Z")) - EPOCH_2000) * 1000n, buf.writeInt32BE(8, pos));
      else {
        // text, and jsonb: its version byte 1, then the text.
        const at = pos;
        pos += 4;
        if (type === "jsonb") buf[pos++] = 1;
        pos += buf.write(v, pos, "utf8");
        buf.writeInt32BE(pos - at - 4, at);
      }
    });
  }
  room(2);
  pos = buf.writeInt16BE(-1, pos);
  return buf.subarray(0, pos);
}

const chunked = (all: Buffer) => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += CHUNK) chunks.push(all.subarray(i, i + CHUNK));
  return chunks;
};

/** Rows shaped like bench/perf-dataset.sql's customers (same NULL rates, lengths and escapes), as COPY text and as binary COPY. */
function dataset(): { text: Buffer[]; binary: Buffer[] } {
  const text: Buffer[] = [];
  let block = "";
  for (const fields of customerRows()) {
    block += encodeRow(fields);
    if (block.length > 1 << 20) {
      text.push(Buffer.from(block));
      block = "";
    }
  }
  text.push(Buffer.from(block));
  return { text: chunked(Buffer.concat(text)), binary: chunked(binaryCopy(customerRows())) };
}

function* customerRows(): Generator<(string | null)[]> {
  const cities = ["Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Clinton", "Fairview", "Salem", "Madison", "Georgetown", "Zürich", "São Paulo"];
  const hex = (i: number) => ((i * 2654435761) >>> 0).toString(16).padStart(8, "0").repeat(4);
  for (let g = 1; g <= ROWS; g++) {
    const fn = FIRST_NAMES[(g * 7) % FIRST_NAMES.length];
    const ln = LAST_NAMES[(g * 13) % LAST_NAMES.length];
    const r = (k: number) => ((g * (2654435761 + k * 40503)) >>> 0) / 2 ** 32;
    const ts = `2023-${pad((g % 12) + 1, 2)}-${pad((g % 28) + 1, 2)} ${pad(g % 24, 2)}:${pad(g % 60, 2)}:${pad((g * 7) % 60, 2)}.${pad(g % 1000000, 6)}+00`;
    yield [
      String(g), fn, ln, `${fn.toLowerCase()}.${ln.toLowerCase()}${g}@${["gmail.com", "yahoo.com", "outlook.com", "example.org", "corp.net"][g % 5]}`,
      g % 10 === 0 ? null : g % 3 === 0 ? `+1-${200 + Math.floor(r(1) * 799)}-${pad(Math.floor(r(2) * 9999999), 7)}` : `(${200 + Math.floor(r(1) * 799)}) ${pad(Math.floor(r(2) * 999), 3)}-${pad(Math.floor(r(3) * 9999), 4)}`,
      g % 20 === 0 ? null : `${pad(1 + Math.floor(r(3) * 898), 3)}-${pad(1 + Math.floor(r(1) * 98), 2)}-${pad(1 + Math.floor(r(2) * 9998), 4)}`,
      `19${40 + (g % 60)}-${pad((g % 12) + 1, 2)}-${pad((g % 28) + 1, 2)}`,
      `${1 + Math.floor(r(2) * 9999)} ${["Main", "Oak", "Pine", "Maple", "Cedar"][g % 5]} ${["St", "Ave", "Rd", "Blvd", "Ln"][g % 5]}`,
      cities[g % 12], pad(Math.floor(r(3) * 99999), 5),
      g % 7 === 0 ? null : g % 50 === 1 ? `Called on ${hex(g)}\tfollow-up:\n${hex(g + 1)} path C:\\Users\\${hex(g + 2)}` : `Customer note: ${hex(g)} ${hex(g + 1)} prefers email contact; ${hex(g + 2)} ${hex(g + 3)}`,
      `{"tags": ["t${g % 17}", "t${g % 29}"], "tier": "pro", "prefs": {"tz": "UTC${(g % 24) - 12}", "lang": "en"}, "score": ${(r(1) * 1000).toFixed(2)}, "last_ip": "10.${g % 256}.${(g >> 8) % 256}.${g % 251}", "marketing_opt_in": ${g % 3 === 0}}`,
      ts, ts,
    ];
  }
}

type Timing = { wall: number; cpu: number; steady: number };

/**
 * Wall seconds and CPU seconds of this process (main thread and workers), and the steady rate:
 * rows/s after the first 10% of the output (worker start-up and JIT warm-up left out).
 */
async function time(chunks: Buffer[], make: () => Duplex): Promise<Timing> {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const start = performance.now();
  const cpu = process.cpuUsage();
  let out = 0;
  let mark: { at: number; fraction: number } | null = null;
  const sink = new Writable({
    write: (c: Buffer, _e, cb) => {
      out += c.length;
      if (!mark && out >= total / 10) mark = { at: performance.now(), fraction: out / total };
      cb();
    },
  });
  await pipeline(Readable.from(chunks, { objectMode: false }), make(), sink);
  const end = performance.now();
  const used = process.cpuUsage(cpu);
  const m = mark ?? { at: start, fraction: 0 };
  return { wall: (end - start) / 1000, cpu: (used.user + used.system) / 1e6, steady: (ROWS * (1 - m.fraction)) / ((end - m.at) / 1000) };
}

async function throughput() {
  const data = dataset();
  const bytes = data.text.reduce((n, c) => n + c.length, 0);
  const binaryBytes = data.binary.reduce((n, c) => n + c.length, 0);
  const variants: [string, () => Duplex, Buffer[]][] = [
    ["plain Transform", () => new Transform({ transform: (c, _e, cb) => cb(null, c) }), data.text],
    ["redact, no rules", () => createRedactTransform({ columns, rules: {}, salt }), data.text],
    ["issue 14 rules, 1 thread", () => createRedactTransform({ columns, rules, salt }), data.text],
    ...THREADS.filter((n) => n > 1).map((threads): [string, () => Duplex, Buffer[]] => [`  on ${threads} worker threads`, () => createParallelRedactTransform({ columns, rules, salt, threads }), data.text]),
    // What a clone runs where the types allow (redact-binary.ts): binary COPY in and out.
    ["issue 14 rules, binary COPY", () => createBinaryRedactTransform({ columns, rules, salt }), data.binary],
  ];
  const times = new Map<string, Timing[]>(variants.map(([n]) => [n, []]));
  await time(data.text, variants[2][1]); // warm-up
  await time(data.binary, variants[variants.length - 1][1]);
  for (let r = 0; r < ROUNDS; r++) for (const [name, make, input] of variants) times.get(name)!.push(await time(input, make));
  const base = median(times.get("plain Transform")!.map((t) => t.wall));
  const oneThread = median(times.get("issue 14 rules, 1 thread")!.map((t) => t.wall));
  const oneSteady = median(times.get("issue 14 rules, 1 thread")!.map((t) => t.steady));
  console.log(`\nTransform: ${ROWS.toLocaleString("en")} customers rows, ${(bytes / 1e6).toFixed(1)} MB of COPY text (${(binaryBytes / 1e6).toFixed(1)} MB as binary COPY), chunks of 64 KiB, ${ROUNDS} rounds (medians; load ${load()}; ${availableParallelism()} CPUs)`);
  for (const [name, , input] of variants) {
    const t = median(times.get(name)!.map((x) => x.wall));
    const cpu = median(times.get(name)!.map((x) => x.cpu));
    const steady = median(times.get(name)!.map((x) => x.steady));
    const mb = (input === data.text ? bytes : binaryBytes) / 1e6;
    console.log(
      `  ${name.padEnd(28)} ${t.toFixed(3).padStart(7)} s  ${(mb / t).toFixed(0).padStart(5)} MB/s  ${Math.round(ROWS / t).toLocaleString("en").padStart(10)} rows/s` +
        `  ${((cpu / ROWS) * 1e6).toFixed(2).padStart(6)} CPU-µs/row  ${(t / base).toFixed(1)}x plain` +
        (name.includes("threads") ? `  ${(oneThread / t).toFixed(2)}x the speed of 1 thread (${(steady / oneSteady).toFixed(2)}x after start-up)` : ""),
    );
  }
}

ruleCosts();
await throughput();
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
