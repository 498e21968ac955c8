// Pins rule outputs byte for byte for a fixed salt. A twin re-cloned with the same salt must get
// the same values (joins between old and new twins, stable test fixtures), so a speed-up of the
// keyed hashing or of the transform must not move a single byte. If this test fails, the change
// alters existing twins: fix the change, never the pinned values (and never run it with -u).
//
// Two kinds of pins per case: a few values written out, and a SHA-256 over the outputs of a few
// hundred generated inputs (ASCII, non-ASCII, empty, and values longer than one or two 64-byte
// hash blocks), which covers the rarer paths without pages of literals.

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ZRule } from "@/lib/schemas/rules";
import { encodeRow } from "@/lib/pipeline/copy-text";
import { createRedactTransform } from "@/lib/pipeline/redact-transform";
import { compileRule } from "./catalogue";
import { columnMeta } from "./column-meta";

const salt = Buffer.from("pinned-outputs-salt-v1");

type Case = { rule: unknown; type: string; unique?: boolean; inputs: string[]; bulk: (i: number) => string };

const NAMES = ["Alice", "Zoë", "O'Brien", "Ångström", "日本", "Bob", "María-José", "x"];
const text = (i: number) => {
  const base = `${NAMES[i % NAMES.length]}${i}`;
  if (i % 13 === 0) return "";
  if (i % 11 === 0) return base.repeat(12); // > 64 bytes: more than one BLAKE2s block
  if (i % 17 === 0) return `🦊 ${base} `.repeat(20); // > 128 bytes, 4-byte UTF-8
  return base;
};
const email = (i: number) => `${NAMES[i % NAMES.length].toLowerCase()}.${i}@corp.example`;
const phone = (i: number) =>
  [`(415) 555-${String(i).padStart(4, "0")}`, `+44 20 7946 ${String(i).padStart(4, "0")}`, `0049 30 ${1000000 + i}`, `020 79${i}`, `+1-${200 + (i % 800)}-${4000000 + i}`, "n/a"][i % 6];
const date = (i: number) => `${1900 + (i % 150)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
const stamp = (i: number) => `${date(i)} ${String(i % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:07.123456${i % 2 ? "+00" : "-05:30"}`;
const int = (i: number) => String((i * 2654435761) % 2147483647 - (i % 3 === 0 ? 1073741824 : 0));

const CASES: Record<string, Case> = {
  "fake first_name": { rule: { rule: "fake", kind: "first_name" }, type: "text", inputs: ["Alice", "Zoë", ""], bulk: text },
  "fake first_name bpchar(10)": { rule: { rule: "fake", kind: "first_name" }, type: "bpchar(10)", inputs: ["Bob       "], bulk: text },
  "fake last_name": { rule: { rule: "fake", kind: "last_name" }, type: "text", inputs: ["Smith", "Ångström"], bulk: text },
  "fake full_name varchar(12)": { rule: { rule: "fake", kind: "full_name" }, type: "varchar(12)", inputs: ["Alice Smith"], bulk: text },
  "fake email unique": { rule: { rule: "fake", kind: "email" }, type: "text", unique: true, inputs: ["alice@corp.example", "zoë@b.c"], bulk: email },
  "fake email varchar(24)": { rule: { rule: "fake", kind: "email" }, type: "varchar(24)", inputs: ["alice@corp.example"], bulk: email },
  "fake phone": { rule: { rule: "fake", kind: "phone" }, type: "text", inputs: ["(415) 555-0134"], bulk: phone },
  "fake street_address": { rule: { rule: "fake", kind: "street_address" }, type: "text", inputs: ["1 Main St"], bulk: text },
  "fake city": { rule: { rule: "fake", kind: "city" }, type: "text", inputs: ["Springfield"], bulk: text },
  "fake postal_code": { rule: { rule: "fake", kind: "postal_code" }, type: "text", inputs: ["94105", "94105-1234", "SW1A 1AA", "75008", "ab-12"], bulk: (i) => [String(10000 + i), `${10000 + i}-${1000 + i}`, `K1A ${i % 10}B${i % 7}`, `x${i}`][i % 4] },
  "fake company": { rule: { rule: "fake", kind: "company" }, type: "text", inputs: ["Acme Inc"], bulk: text },
  "fake username unique": { rule: { rule: "fake", kind: "username" }, type: "text", unique: true, inputs: ["alice"], bulk: text },
  "fake ip inet": { rule: { rule: "fake", kind: "ip" }, type: "inet", inputs: ["192.168.1.7"], bulk: (i) => `192.168.${i % 256}.${i % 251}` },
  "fake ip inet unique": { rule: { rule: "fake", kind: "ip" }, type: "inet", unique: true, inputs: ["192.168.1.7"], bulk: (i) => `192.168.${i % 256}.${i % 251}` },
  "fake url": { rule: { rule: "fake", kind: "url" }, type: "text", inputs: ["https://example.com/a"], bulk: text },
  "hash text hex 16": { rule: { rule: "hash" }, type: "text", inputs: ["123-45-6789", "alice", "Zoë"], bulk: text },
  "hash text hex 64": { rule: { rule: "hash", length: 64 }, type: "text", inputs: ["alice"], bulk: text },
  "hash text base32 20": { rule: { rule: "hash", length: 20, encoding: "base32" }, type: "text", inputs: ["alice"], bulk: text },
  "hash text base32 64": { rule: { rule: "hash", length: 64, encoding: "base32" }, type: "text", inputs: ["alice"], bulk: text },
  "hash varchar(10)": { rule: { rule: "hash", length: 32 }, type: "varchar(10)", inputs: ["alice"], bulk: text },
  "hash text[]": { rule: { rule: "hash" }, type: "text[]", inputs: ['{a,"b c",NULL}'], bulk: (i) => `{${text(i + 1) ? `"${text(i + 1).replaceAll('"', "")}"` : '""'},x${i}}` },
  "hash uuid": { rule: { rule: "hash" }, type: "uuid", inputs: ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"], bulk: (i) => `a0eebc99-9c0b-4ef8-bb6d-${String(i).padStart(12, "0")}` },
  "hash bytea": { rule: { rule: "hash", length: 16 }, type: "bytea", inputs: ["\\x0001"], bulk: (i) => `\\x${i.toString(16).padStart(4, "0")}` },
  "hash int2": { rule: { rule: "hash" }, type: "int2", inputs: ["1", "-1", "32767", "-32768"], bulk: (i) => String((i * 97) % 65536 - 32768) },
  "hash int4": { rule: { rule: "hash" }, type: "int4", unique: true, inputs: ["1", "42", "-7", "2147483647", "-2147483648"], bulk: int },
  "hash int8": { rule: { rule: "hash" }, type: "int8", unique: true, inputs: ["1", "9223372036854775807", "-9223372036854775808"], bulk: (i) => `${int(i)}${i}` },
  "mask phone keep 2": { rule: { rule: "mask", format: "phone", keepLast: 2 }, type: "text", inputs: ["(415) 555-0134", "+44 20 7946 0958", "0049 30 1234567", "020 7946 0958", "n/a"], bulk: phone },
  "mask ssn": { rule: { rule: "mask", format: "ssn" }, type: "text", inputs: ["123-45-6789"], bulk: (i) => `${100 + (i % 800)}-${10 + (i % 89)}-${1000 + i}` },
  "mask card": { rule: { rule: "mask", format: "card" }, type: "text", inputs: ["4111 1111 1111 1111", "5500-0000-0000-0004"], bulk: (i) => `4111 ${1000 + i} ${2000 + i} ${3000 + i}` },
  "mask keep_last #": { rule: { rule: "mask", keepLast: 3, maskChar: "#" }, type: "text", inputs: ["secret-token", "ab", "###x"], bulk: text },
  "date_shift date": { rule: { rule: "date_shift" }, type: "date", inputs: ["2024-02-29", "0044-03-15 BC", "infinity"], bulk: date },
  "date_shift timestamp 365": { rule: { rule: "date_shift", maxDays: 365 }, type: "timestamp", inputs: ["2024-01-31 23:59:59.999999"], bulk: (i) => stamp(i).slice(0, 26) },
  "date_shift timestamptz": { rule: { rule: "date_shift" }, type: "timestamptz", inputs: ["2024-06-01 12:00:00+00", "-infinity"], bulk: stamp },
  "numeric_noise int4": { rule: { rule: "numeric_noise" }, type: "int4", inputs: ["0", "1", "2147483647", "-5000"], bulk: int },
  "numeric_noise numeric(12,2)": { rule: { rule: "numeric_noise", percent: 5 }, type: "numeric(12,2)", inputs: ["1234.56", "0.00", "NaN"], bulk: (i) => `${i * 37}.${String(i % 100).padStart(2, "0")}` },
  "numeric_noise float8": { rule: { rule: "numeric_noise" }, type: "float8", inputs: ["3.14159", "0", "1e300"], bulk: (i) => String(i / 7) },
  "numeric_noise float4": { rule: { rule: "numeric_noise" }, type: "float4", inputs: ["2.5"], bulk: (i) => String(Math.fround(i / 3)) },
  "json_paths": {
    rule: {
      rule: "json_paths",
      paths: [
        { path: "$.email", apply: { rule: "fake", kind: "email" } },
        { path: "$.contacts[*].phone", apply: { rule: "mask", format: "phone", keepLast: 2 } },
        { path: "$.score", apply: { rule: "numeric_noise" } },
        { path: "$.born", apply: { rule: "date_shift" } },
        { path: "$.secret", apply: { rule: "null" } },
        { path: '$["odd key"]', apply: { rule: "hash" } },
      ],
    },
    type: "jsonb",
    inputs: [
      '{"email": "a@b.c", "contacts": [{"phone": "(415) 555-0134"}, {"phone": null}], "score": 12.5, "born": "1980-05-04", "secret": {"x": 1}, "odd key": "v", "kept": "é"}',
      '{"other": 1}',
    ],
    bulk: (i) => JSON.stringify({ email: email(i), contacts: [{ phone: phone(i) }], score: i * 1.5, born: date(i), secret: text(i), "odd key": text(i + 3), n: i }),
  },
  "null": { rule: { rule: "null" }, type: "text", inputs: ["x"], bulk: text },
  "constant": { rule: { rule: "constant", value: "redacted" }, type: "text", inputs: ["x"], bulk: text },
};

const PINNED_VALUES: Record<string, (string | null)[]> = {
  "fake first_name": ["Monica","Aaron","Robert"],
  "fake first_name bpchar(10)": ["Grace"],
  "fake last_name": ["Andrews","Harris"],
  "fake full_name varchar(12)": ["Zoe Hayes"],
  "fake email unique": ["victoria.torres.nqjl2xgyca@example.net","barbara.berg.zufnofoo6r@example.org"],
  "fake email varchar(24)": ["victoria.t30@example.net"],
  "fake phone": ["(961) 555-6255"],
  "fake street_address": ["7308 Pine Court"],
  "fake city": ["Bayton"],
  "fake postal_code": ["94103","98101-1069","B1 1AA","28013","fo-31"],
  "fake company": ["Moreno & Wilson Inc."],
  "fake username unique": ["alexandra.hopkins_tkjx3v7o2e"],
  "fake ip inet": ["10.136.47.170"],
  "fake ip inet unique": ["2001:db8:de88:642f:1e65:fb21:a96:1043"],
  "fake url": ["https://ash.example.org/account/52owwpx2pj"],
  "hash text hex 16": ["b4e247835e3d9935","2cd312e114320155","6686f3d005b750ac"],
  "hash text hex 64": ["2cd312e1143201559932e7459fe70f0a8c54b99aec55c5347274b8b9325c4a20"],
  "hash text base32 20": ["ftjrfyiugiavlgjs45cz"],
  "hash text base32 64": ["ftjrfyiugiavlgjs45cz7zypbkgfjom25rk4kndsos4lsms4jiqlfcd27zmk6vv3"],
  "hash varchar(10)": ["2cd312e114"],
  "hash text[]": ["{eff06a76ec17feca,c3a76620d2a9828c,NULL}"],
  "hash uuid": ["9aed10e0-b25f-8455-9d55-d8d2b80882b8"],
  "hash bytea": ["\\x06c9c21b73338010"],
  "hash int2": ["10029","-24513","21105","-23199"],
  "hash int4": ["1200839714","1319635492","-259516651","1307154766","-1995748494"],
  "hash int8": ["407570147059315305","9172846890044052184","-2460019874298263909"],
  "mask phone keep 2": ["(870) 775-0434","+44 87 2867 5058","0049 50 6369267","083 6388 2258","*/a"],
  "mask ssn": ["121-87-6789"],
  "mask card": ["0953 8566 5926 1111","3034-8306-7041-0004"],
  "mask keep_last #": ["#########ken","#b","*##x"],
  "date_shift date": ["2024-02-19","0044-03-13 BC","infinity"],
  "date_shift timestamp 365": ["2024-04-24 23:59:59.999999"],
  "date_shift timestamptz": ["2024-06-03 12:00:00+00","-infinity"],
  "numeric_noise int4": ["-1","2","2000881381","-5057"],
  "numeric_noise numeric(12,2)": ["1251.36","-0.01","NaN"],
  "numeric_noise float8": ["3.05401189557","-1","9.531810000000001e+299"],
  "numeric_noise float4": ["2.550922393798828"],
  "json_paths": ["{\"email\": \"jonathan.chapman.x32pxbf3uk@example.com\", \"contacts\": [{\"phone\": \"(870) 775-0434\"}, {\"phone\": null}], \"score\": 13.6, \"born\": \"1980-04-12\", \"secret\": null, \"odd key\": \"d12eb6539debc8a5\", \"kept\": \"é\"}","{\"other\": 1}"],
  "null": [null],
  "constant": ["redacted"],
};
const PINNED_BULK: Record<string, string> = {
  "fake first_name": "01d70c4825279816227d7b32496891d37ebce5b8ab5106caa16e201b2e33e38c",
  "fake first_name bpchar(10)": "01d70c4825279816227d7b32496891d37ebce5b8ab5106caa16e201b2e33e38c",
  "fake last_name": "fa721906da596e3f9f045b4cf4afd90aecc7c88f6d5013cb7df0db08a775bc27",
  "fake full_name varchar(12)": "d5126a9136399afeddf8818870bbb3cd75d12e218cac21ea9f78edd8f659979e",
  "fake email unique": "5afbdc96aa7d19e08f1458233f69d9870c32767b2f254255951892a33ffc0d05",
  "fake email varchar(24)": "be89bb37f3134d5205852f1e411b16190bde70da0446f07e51073bf8ec424ec7",
  "fake phone": "7bfd44c6da5e4a40e676218fc045902bee69b57a2cf4a69684ed31d9963a2a3b",
  "fake street_address": "3415cd7985d03a98e5e081b2f750bdcc8cd5fb5f37e6d2e93903e4a9c3898525",
  "fake city": "7b756d1323f7e572c6a6a24fffd5ce8d84c8fa44a13ee605dc1dddfb1296fb93",
  "fake postal_code": "c0ed0fd68952815f537c6b63a9017db9bebeb888f7e6bd3e582a8438602e995e",
  "fake company": "082a8d5c45319dc3fe404a9ad9d7083a4f8ff04bad1dc30b8ea06ca31b784d10",
  "fake username unique": "523d769398b927374272e482c295eff49bc0d58c6cf9dd2e2bc580563f9305ff",
  "fake ip inet": "bd06307088e550ba9f8eabbbc9fb02aec40728673370dc092a73827cddfdbec1",
  "fake ip inet unique": "706e9eab2670910a167863861094b3cd2d941bd087cc085630c47cb607d903a8",
  "fake url": "2d6ab4a69e10b01df65e85c6e7c0a8df43f7fc3ad7ff845df3c6b6e21e5a7c26",
  "hash text hex 16": "e4b4c7297450487637d047b3bd6684e7abe855dac2583637132e6f381ff47af9",
  "hash text hex 64": "97d75df766564e545f180ca8a45e7bb2fedc5ef5389e15d717ded5062b2c6949",
  "hash text base32 20": "51d84794ee17a0363ffd910d82bd792d83bb79ea42cfb0597cb9fefc200dddec",
  "hash text base32 64": "1c632fefa33d8212ded721cebe03e19e2032a63b656e794a8e23f1cea46e9f33",
  "hash varchar(10)": "250b2bc424043fe624e7beb34272033c210a4f9931ba51980e69e8cd15a7b196",
  "hash text[]": "e546888124fa9a96d505689183c0ab86e253e6f3101e51eddee2387cb1b0d09b",
  "hash uuid": "57464039fde353f2954256e4e1bc19e84a067979ede0b3cea2d56cd016792dd8",
  "hash bytea": "83f4cb9b85f8b9658f26956317c3456b45d1ead0984d1da5f2a6e439a044df99",
  "hash int2": "ca267219c4ac829262375789b0281019ec14e59a54a13fbf2e053be8f33be8cf",
  "hash int4": "8244dc15d44b194cae362be9e37abf94280939db0ef38da189a8bceb0643aabe",
  "hash int8": "9cc16b4c917e2be3415437c03d5e9e335c7a339d636c4074a8b968e4d355833f",
  "mask phone keep 2": "9170e666ac2d4b197862f5cc502eae18dd8c77968b3e28de2e96612daebb160d",
  "mask ssn": "be1cdd6bcf51440fc59b2b23b31b21d9f68d3b011d92a33b23c9eda2eaf4df3e",
  "mask card": "b0ff31ceeae254a9ffecb465ec95906c3bba54a6445db89b927ef040f29b9a87",
  "mask keep_last #": "6abec25795681c7df63a6b0f1c3d432831df75d665f265571a8467e544501a99",
  "date_shift date": "7cde10754e433c19e5a68e2374ba7de161a5e79caf2f9748c438f6b1cc80b4c4",
  "date_shift timestamp 365": "f8fb78b2215a79b4cffd7ff122bc4fa2388e0be3b2435142305e29fd4b2283a3",
  "date_shift timestamptz": "93df8381a30c974645efcb456032eb8678258f07c8486e12dece1087c848009a",
  "numeric_noise int4": "ec8b1d5c82452600511e6b0db715f4d37fab422e876451e353e33bbaa96ac9ac",
  "numeric_noise numeric(12,2)": "0b2374f341291dbb244fb6e74f2b5b89e3f5edd7b4dfff68868fbc119b23558b",
  "numeric_noise float8": "42a2545d15c6f66bd971ec634bc9bb9bd0783eecdf226ed3434f117f0f4a859b",
  "numeric_noise float4": "9dd3686adfb7ebbe6838645648ef96a8b0d2b749f485b99871c9968b99f2444a",
  "json_paths": "8d50951442f8e2e1e66fcd3261a3d35746036d730064d24229e7d59e39762fc6",
  "null": "e66a6951a4ec1e559405e6281005ea5e6fae91551cbfa82b8a84663b3e3071bd",
  "constant": "0ec1272aab28f61f6016c89a3adfe83e1f0680ee9293b179e50c951533b16d65",
};

function outputs(c: Case) {
  const f = compileRule(ZRule.parse(c.rule), columnMeta("c", c.type, { unique: c.unique }), { salt });
  const values = c.inputs.map((v) => f(v));
  const h = createHash("sha256");
  for (let i = 0; i < 400; i++) h.update(`${f(c.bulk(i)) ?? "\\N"}\n`);
  return { values, bulk: h.digest("hex") };
}

describe("rule outputs for a fixed salt (existing twins must not change)", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => {
      const { values, bulk } = outputs(c);
      expect(values).toEqual(PINNED_VALUES[name]);
      expect(bulk).toBe(PINNED_BULK[name]);
    });
  }
});

// The transform itself, with the issue's rule set plus row agreement (names from the fake email),
// a fake city from the postal code, a date shift and a JSON path, over rows cut into odd chunks.
const columns = [
  columnMeta("id", "int8", { notNull: true, unique: true }),
  columnMeta("first_name", "text", { notNull: true }),
  columnMeta("last_name", "text", { notNull: true }),
  columnMeta("email", "text", { notNull: true, unique: true }),
  columnMeta("phone", "text"),
  columnMeta("ssn", "text"),
  columnMeta("date_of_birth", "date"),
  columnMeta("city", "text"),
  columnMeta("zip", "text"),
  columnMeta("notes", "text"),
  columnMeta("profile", "jsonb"),
];
const rules = {
  first_name: { rule: "fake", kind: "first_name" },
  last_name: { rule: "fake", kind: "last_name" },
  email: { rule: "fake", kind: "email" },
  phone: { rule: "mask", format: "phone", keepLast: 2 },
  ssn: { rule: "hash" },
  date_of_birth: { rule: "date_shift", maxDays: 90 },
  city: { rule: "fake", kind: "city" },
  zip: { rule: "fake", kind: "postal_code" },
  notes: { rule: "null" },
  profile: { rule: "json_paths", paths: [{ path: "$.last_ip", apply: { rule: "fake", kind: "ip" } }] },
} as const;

function customerRow(i: number): string {
  const first = NAMES[i % NAMES.length];
  return encodeRow([
    String(i), first, `Last${i % 50}`, email(i), i % 10 === 0 ? null : phone(i), i % 20 === 0 ? null : `${100 + (i % 800)}-${10 + (i % 89)}-${1000 + i}`,
    date(i), ["Springfield", "Zürich", "São Paulo"][i % 3], String(10000 + ((i * 7919) % 89999)),
    i % 50 === 1 ? `tab\there\nnewline \\ backslash ${i}` : `note ${i}`, JSON.stringify({ tier: "pro", last_ip: `10.0.${i % 256}.${i % 251}` }),
  ]);
}

async function redactStream(rows: number, chunkSize: number): Promise<Buffer> {
  const t = createRedactTransform({ columns, rules: Object.fromEntries(Object.entries(rules).map(([k, r]) => [k, ZRule.parse(r)])), salt });
  const out: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    t.on("data", (d: Buffer) => out.push(d));
    t.on("end", resolve);
    t.on("error", reject);
  });
  const input = Buffer.from(Array.from({ length: rows }, (_, i) => customerRow(i + 1)).join(""));
  for (let i = 0; i < input.length; i += chunkSize) t.write(input.subarray(i, i + chunkSize));
  t.end();
  await done;
  return Buffer.concat(out);
}

const PINNED_ROWS =
  "1\tLucas\tGrant\tlucas.grant.2a6dcv4q4c@example.com\t+44 24 8774 6701\t2830f3963ee8d15f\t1901-05-01\tMünchen\t80331\t\\N\t{\"tier\": \"pro\", \"last_ip\": \"10.218.207.238\"}\n" +
  "2\tAdam\tTucker\tadam.tucker.uzlgiemfqd@example.net\t0049 98 5753002\t32f44f08e92755b5\t1901-12-05\tBarcelona\t08002\t\\N\t{\"tier\": \"pro\", \"last_ip\": \"10.112.79.102\"}\n" +
  "3\tYusuf\tRice\tyusuf.rice.gjlozaqwx5@example.org\t058 893\t7f04a140badf4ef5\t1903-05-25\tRoma\t00184\t\\N\t{\"tier\": \"pro\", \"last_ip\": \"10.66.198.73\"}\n" +
  "4\tIan\tSullivan\tian.sullivan.dgyfr62cyp@example.com\t+1-448-1889804\t23cb206d4a9ad0d6\t1904-05-09\tBerlin\t10115\t\\N\t{\"tier\": \"pro\", \"last_ip\": \"10.243.143.29\"}\n";
const PINNED_STREAM = "54f2ebaca7a361b39f924defb074cb31115c943069c4ee7f70e050948f46da49";

describe("the redaction transform for a fixed salt", () => {
  it("rewrites customers-like rows byte for byte as before", async () => {
    expect((await redactStream(4, 7)).toString("utf8")).toBe(PINNED_ROWS);
    const all = await redactStream(3000, 4093);
    expect(createHash("sha256").update(all).digest("hex")).toBe(PINNED_STREAM);
  });
});

describe("the transform's COPY escaping of redacted values", () => {
  it("escapes backslashes, tabs and line ends in redacted values as before", async () => {
    const cols = [columnMeta("phone", "text"), columnMeta("doc", "jsonb"), columnMeta("note", "text")];
    const r = {
      phone: ZRule.parse({ rule: "mask", format: "phone", keepLast: 2 }),
      doc: ZRule.parse({ rule: "json_paths", paths: [{ path: "$.a", apply: { rule: "hash" } }] }),
      note: ZRule.parse({ rule: "mask", keepLast: 2 }),
    };
    const input = encodeRow(["(415)\t555\\0134\r\n", '{"a": "x", "b": "tab\\there \\\\ \\n"}', "é\t\\x"]) + encodeRow(["+44 20\n7946 0958", '{"b": "\\"q\\""}', "plain"]);
    const t = createRedactTransform({ columns: cols, rules: r, salt });
    const out: Buffer[] = [];
    t.on("data", (d: Buffer) => out.push(d));
    const done = new Promise((resolve) => t.on("end", resolve));
    t.end(Buffer.from(input));
    await done;
    expect(Buffer.concat(out).toString("utf8")).toBe(
      "(826)\\t483\\\\8934\\r\\n\t{\"a\": \"f5bb68b8824bd3d1\", \"b\": \"tab\\\\there \\\\\\\\ \\\\n\"}\t**\\\\x\n+44 53\\n6790 6758\t{\"b\": \"\\\\\"q\\\\\"\"}\t***in\n",
    );
  });
});
