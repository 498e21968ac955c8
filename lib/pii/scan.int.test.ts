import { readFile } from "node:fs/promises";
import path from "node:path";
import { faker } from "@faker-js/faker";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { EngineError } from "../pipeline/errors";
import type { TPgConnection } from "../schemas/connection";
import { openScanSession, runPiiScan } from "./scan";
import { ZPiiScanResult, type TPiiScanResult } from "./types";

// A realistic source filled with generated fake people, scanned for real: categories and
// confidence per column, negatives left alone, no sampled value anywhere in the result, and a
// session that cannot write.

function connectionOf(url: string): TPgConnection {
  const u = new URL(url);
  return {
    host: u.hostname, port: Number(u.port || 5432), database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), tlsMode: "disable",
  };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function luhnComplete(prefix: string): string {
  for (let d = 0; d < 10; d++) {
    const digits = prefix + d;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let x = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return digits;
  }
  throw new Error("unreachable");
}

const CUSTOMERS = 400;
const EVENTS = 30_000;
faker.seed(20261121);
const people = Array.from({ length: CUSTOMERS }, (_, i) => {
  const first = faker.person.firstName();
  const last = faker.person.lastName();
  return {
    first, last,
    email: faker.internet.email({ firstName: first, lastName: last }).toLowerCase().replace("@", `${i}@`),
    phone: faker.phone.number({ style: "national" }),
    ssn: `${faker.number.int({ min: 100, max: 665 })}-${faker.string.numeric({ length: 2, exclude: ["0"] })}-${faker.string.numeric({ length: 4, exclude: ["0"] })}`,
    dob: faker.date.birthdate({ min: 18, max: 90, mode: "age" }).toISOString().slice(0, 10),
    street: faker.location.streetAddress(),
    city: faker.location.city(),
    zip: faker.location.zipCode("#####"),
    card: luhnComplete(`4${faker.string.numeric(14)}`),
    notes: i % 4 === 0 ? `Asked to be called back on ${faker.phone.number({ style: "national" })} or mailed at ${faker.internet.email()}.` : faker.lorem.sentence(),
    profile: JSON.stringify({ contact: { work_email: faker.internet.email(), mobile: faker.phone.number({ style: "international" }) }, theme: "dark" }),
    ip: faker.internet.ipv4(),
    altEmails: `{${Array.from({ length: 1 + (i % 2) }, () => faker.internet.email()).join(",")}}`,
  };
});

const SCHEMA = `
CREATE SCHEMA crm;
CREATE TABLE crm.customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  first_name text NOT NULL, "lastName" varchar(80) NOT NULL, email text NOT NULL UNIQUE, phone text,
  ssn char(11), dob date, street_address text, city text, zip varchar(10), card_number text, notes text,
  profile jsonb, last_login_ip inet, alt_emails varchar(120)[], status text NOT NULL DEFAULT 'active', created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE crm.orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES crm.customers (id),
  order_number bigint NOT NULL, status text NOT NULL, total numeric(10, 2) NOT NULL, created_at timestamptz NOT NULL
);
CREATE TABLE crm.events (id bigint PRIMARY KEY, kind text NOT NULL, client_ip inet, at timestamptz NOT NULL, contact text);
CREATE TABLE crm.visits (id bigint NOT NULL, admitted_at timestamptz NOT NULL, "visitorEmail" text) PARTITION BY RANGE (admitted_at);
CREATE TABLE crm.visits_2025 PARTITION OF crm.visits FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE crm.visits_2026 PARTITION OF crm.visits FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
`;

describe("runPiiScan", () => {
  let db: TestDatabase;
  let demo: TestDatabase;
  let result: TPiiScanResult;

  beforeAll(async () => {
    db = await createTestDatabase({ template: null, prefix: "pii_src" });
    demo = await createTestDatabase({ template: null, prefix: "pii_demo" });
    await withClient(db.url, async (c) => {
      await c.query(SCHEMA);
      const col = <K extends keyof (typeof people)[number]>(k: K) => people.map((p) => p[k]);
      await c.query(
        `INSERT INTO crm.customers (first_name, "lastName", email, phone, ssn, dob, street_address, city, zip, card_number, notes, profile, last_login_ip, alt_emails)
         SELECT a, b, c, d, e, f, g, h, i, j, k, l, m, n::varchar(120)[] FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::jsonb[], $13::inet[], $14::text[])
           AS u (a, b, c, d, e, f, g, h, i, j, k, l, m, n)`,
        [col("first"), col("last"), col("email"), col("phone"), col("ssn"), col("dob"), col("street"), col("city"), col("zip"), col("card"), col("notes"), col("profile"), col("ip"), col("altEmails")],
      );
      await c.query(`INSERT INTO crm.orders (customer_id, order_number, status, total, created_at)
        SELECT 1 + g % ${CUSTOMERS}, 100000000 + g * 7919, (ARRAY['pending','paid','shipped'])[1 + g % 3], g % 500, now() - g * interval '1 hour'
        FROM generate_series(1, 2000) g`);
      await c.query(`INSERT INTO crm.events SELECT g, 'login', ('10.' || g % 250 || '.' || g % 200 || '.' || 1 + g % 250)::inet, now(),
        CASE WHEN g % 500 = 0 THEN 'evt' || g || '@mail.example' END FROM generate_series(1, ${EVENTS}) g`);
      await c.query(`INSERT INTO crm.visits SELECT g, timestamptz '2025-01-01' + g * interval '1 hour', 'visitor' || g || '@mail.example' FROM generate_series(1, 12000) g`);
      await c.query("ANALYZE");
    });
    const sql = await readFile(path.join(process.cwd(), "prisma", "demo", "production.sql"), "utf8");
    await withClient(demo.url, (c) => c.query(sql));
    result = await runPiiScan(connectionOf(db.url), { sampleSize: 100 });
  });

  afterAll(async () => {
    await db?.drop();
    await demo?.drop();
  });

  const column = (r: TPiiScanResult, table: string, name: string) => r.tables.find((t) => t.table === table)?.columns.find((c) => c.column === name);

  it("finds every PII column with the expected category and a high confidence", () => {
    expect(ZPiiScanResult.parse(result)).toEqual(result);
    const expected: [string, string, number][] = [
      ["first_name", "first_name", 0.9], ["lastName", "last_name", 0.9], ["email", "email", 0.97],
      ["phone", "phone", 0.9], ["ssn", "ssn", 0.9], ["dob", "birth_date", 0.9], ["street_address", "street_address", 0.9],
      ["city", "city", 0.9], ["zip", "postal_code", 0.9], ["card_number", "payment_card", 0.9],
      ["notes", "free_text_pii", 0.6], ["last_login_ip", "ip_address", 0.9], ["alt_emails", "email", 0.97],
    ];
    for (const [name, category, min] of expected) {
      const c = column(result, "customers", name);
      expect(c, name).toBeDefined();
      expect(c!.category, name).toBe(category);
      expect(c!.confidence, name).toBeGreaterThanOrEqual(min);
      expect(c!.matches, name).toBeGreaterThan(0);
      expect(c!.sampled, name).toBeGreaterThan(0);
      expect(c!.examples.length, name).toBeGreaterThan(0);
    }
    // jsonb: the document's email and phone paths, whichever is surer leads.
    expect(["email", "phone"]).toContain(column(result, "customers", "profile")?.category);
    expect(column(result, "customers", "notes")!.confidence).toBeLessThan(column(result, "customers", "email")!.confidence);
  });

  it("suggests rules that fit each column", () => {
    expect(column(result, "customers", "email")!.suggestedRule).toEqual({ rule: "fake", kind: "email" });
    expect(column(result, "customers", "first_name")!.suggestedRule).toEqual({ rule: "fake", kind: "first_name" });
    expect(column(result, "customers", "phone")!.suggestedRule).toMatchObject({ rule: "mask", format: "phone" });
    expect(column(result, "customers", "ssn")!.suggestedRule).toMatchObject({ rule: "mask", format: "ssn" });
    expect(column(result, "customers", "card_number")!.suggestedRule).toMatchObject({ rule: "mask", format: "card" });
    expect(column(result, "customers", "dob")!.suggestedRule).toMatchObject({ rule: "date_shift" });
    expect(column(result, "customers", "notes")!.suggestedRule).toEqual({ rule: "null" });
    expect(column(result, "customers", "last_login_ip")!.suggestedRule).toEqual({ rule: "fake", kind: "ip" });
    expect(column(result, "customers", "alt_emails")!.suggestedRule).toEqual({ rule: "fake", kind: "email" });
    const profile = column(result, "customers", "profile")!.suggestedRule;
    expect(profile?.rule).toBe("json_paths");
    const paths = profile?.rule === "json_paths" ? profile.paths.map((p) => p.path).sort() : [];
    expect(paths).toEqual(["$.contact.mobile", "$.contact.work_email"]);
  });

  it("leaves ids, statuses and timestamps alone", () => {
    const customers = result.tables.find((t) => t.table === "customers")!;
    expect(customers.clean).toEqual(expect.arrayContaining(["status"]));
    expect(customers.columns.map((c) => c.column)).not.toContain("created_at");
    const orders = result.tables.find((t) => t.table === "orders");
    expect(orders?.columns ?? []).toEqual([]);
    expect(orders?.clean).toEqual(expect.arrayContaining(["status"]));
  });

  it("samples big tables and still finds what they hold", () => {
    const events = result.tables.find((t) => t.table === "events")!;
    expect(events.rowsEstimate).toBeGreaterThan(EVENTS / 2);
    const ip = events.columns.find((c) => c.column === "client_ip")!;
    expect(ip.category).toBe("ip_address");
    expect(ip.sampled).toBeGreaterThan(0);
    expect(ip.sampled).toBeLessThanOrEqual(100);
    // One row in 500 has a contact: the shared sample misses it, a sample of its own finds it.
    const contact = events.columns.find((c) => c.column === "contact")!;
    expect(contact.category).toBe("email");
    expect(contact.sampled).toBe(EVENTS / 500);
  });

  it("scans a partitioned table once, through its parent", () => {
    expect(result.tables.some((t) => t.table.startsWith("visits_"))).toBe(false);
    const visits = result.tables.find((t) => t.table === "visits")!;
    expect(visits.rowsEstimate).toBeGreaterThan(6000);
    expect(visits.columns.map((c) => [c.column, c.category]).sort()).toEqual([["admitted_at", "person_date"], ["visitorEmail", "email"]]);
  });

  it("never puts a sampled value into the result", () => {
    const strings: string[] = [];
    const walk = (x: unknown) => {
      if (typeof x === "string") strings.push(x);
      else if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === "object") Object.values(x).forEach(walk);
    };
    walk(result);
    const raw = people.flatMap((p) => [p.first, p.last, p.email, p.phone, p.ssn, p.dob, p.street, p.city, p.zip, p.card, p.ip, ...p.altEmails.slice(1, -1).split(","), ...JSON.stringify(JSON.parse(p.profile)).match(/"[^"]{5,}"/g)!.map((s) => s.slice(1, -1))])
      .filter((v) => v.length >= 5 && !["contact", "work_email", "mobile"].includes(v));
    const leaks = raw.filter((v) => strings.some((s) => s.includes(v)));
    expect(leaks).toEqual([]);
    const json = JSON.stringify(result);
    expect(people.some((p) => json.includes(p.email) || json.includes(p.ssn) || json.includes(p.card))).toBe(false);
  });

  it("reads in a session that cannot write", async () => {
    const client = await openScanSession(connectionOf(db.url), {});
    try {
      expect((await client.query("SHOW transaction_read_only")).rows[0].transaction_read_only).toBe("on");
      await expect(client.query("CREATE TABLE crm.scanner_wrote_this (i int)")).rejects.toMatchObject({ code: "25006" });
      await client.query("ROLLBACK");
      // default_transaction_read_only: a new transaction is read-only too.
      await expect(client.query("INSERT INTO crm.orders (customer_id, order_number, status, total, created_at) VALUES (1, 1, 'x', 1, now())"))
        .rejects.toMatchObject({ code: "25006" });
    } finally {
      await client.end();
    }
  });

  it("finds customers.email and customers.phone in the demo database", async () => {
    const r = await runPiiScan(connectionOf(demo.url));
    const email = column(r, "customers", "email")!;
    const phone = column(r, "customers", "phone")!;
    expect(email).toMatchObject({ category: "email", suggestedRule: { rule: "fake", kind: "email" } });
    expect(phone).toMatchObject({ category: "phone", suggestedRule: { rule: "mask", format: "phone" } });
    expect(email.confidence).toBeGreaterThanOrEqual(0.95);
    expect(phone.confidence).toBeGreaterThanOrEqual(0.95);
    for (const [name, category] of [["first_name", "first_name"], ["last_name", "last_name"], ["ssn", "ssn"], ["date_of_birth", "birth_date"], ["postal_code", "postal_code"], ["city", "city"], ["street_address", "street_address"]]) {
      expect(column(r, "customers", name)?.category, name).toBe(category);
    }
    expect(column(r, "orders", "shipping_address")?.category).toBe("street_address");
    expect(column(r, "companies", "name")).toBeUndefined();
    expect(column(r, "orders", "status")).toBeUndefined();
  });

  it("reports progress, limits itself to chosen schemas and can be cancelled", async () => {
    const progress: number[] = [];
    const r = await runPiiScan(connectionOf(db.url), { schemas: ["crm"], sampleSize: 20, onProgress: (p) => progress.push(p.tablesDone) });
    expect(r.tables.map((t) => t.table).sort()).toEqual(["customers", "events", "orders", "visits"]);
    expect(progress.at(-1)).toBe(4);
    expect((await runPiiScan(connectionOf(db.url), { schemas: ["nope"] })).tables).toEqual([]);
    // The editor's scan: only the chosen tables, and none sampled once its time is up.
    const chosen = await runPiiScan(connectionOf(db.url), { tables: [{ schema: "crm", table: "customers" }], sampleSize: 20 });
    expect(chosen.tables.map((t) => t.table)).toEqual(["customers"]);
    const late = await runPiiScan(connectionOf(db.url), { tables: [{ schema: "crm", table: "customers" }, { schema: "crm", table: "orders" }], budgetMs: -1 });
    expect(late.tables).toEqual([]);
    expect(late.skipped.map((s) => [s.table, s.reason])).toEqual([["customers", expect.stringContaining("time was up")], ["orders", expect.stringContaining("time was up")]]);
    const ac = new AbortController();
    ac.abort();
    await expect(runPiiScan(connectionOf(db.url), { signal: ac.signal })).rejects.toMatchObject({ code: "CANCELED" });
    const ac2 = new AbortController();
    const p = runPiiScan(connectionOf(db.url), { signal: ac2.signal, onProgress: () => ac2.abort() });
    await expect(p).rejects.toMatchObject({ code: "CANCELED" });
  });

  it("skips a locked table after the lock timeout and scans the rest", async () => {
    await withClient(db.url, async (locker) => {
      await locker.query("BEGIN; LOCK TABLE crm.orders IN ACCESS EXCLUSIVE MODE");
      const r = await runPiiScan(connectionOf(db.url), { schemas: ["crm"], sampleSize: 20, lockTimeoutMs: 200 });
      await locker.query("ROLLBACK");
      expect(r.skipped).toEqual([{ schema: "crm", table: "orders", reason: "The table was locked by another session; it was skipped." }]);
      expect(r.tables.map((t) => t.table).sort()).toEqual(["customers", "events", "visits"]);
    });
  });

  it("scans what a limited user may read and lists the rest as skipped", async () => {
    const role = `pii_ro_${db.name.slice(-8)}`;
    await withClient(db.url, (c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'scan-pw';
      GRANT CONNECT ON DATABASE ${db.name} TO ${role}; GRANT USAGE ON SCHEMA crm TO ${role};
      GRANT SELECT (id, email, status) ON crm.customers TO ${role}; GRANT SELECT ON crm.orders TO ${role}`));
    try {
      const r = await runPiiScan({ ...connectionOf(db.url), user: role, password: "scan-pw" }, { sampleSize: 20 });
      expect(column(r, "customers", "email")?.category).toBe("email");
      expect(column(r, "customers", "ssn")).toBeUndefined();
      expect(r.skipped).toContainEqual({ schema: "crm", table: "customers", column: "ssn", reason: expect.stringContaining("no SELECT permission") });
      expect(r.skipped).toContainEqual({ schema: "crm", table: "events", reason: expect.stringContaining("no SELECT permission") });
      expect(r.skipped).toContainEqual({ schema: "crm", table: "visits", reason: expect.stringContaining("no SELECT permission") });
      expect(r.tables.map((t) => t.table).sort()).toEqual(["customers", "orders"]);
    } finally {
      await withClient(db.url, (c) => c.query(`DROP OWNED BY ${role}`));
      await withClient(db.url, (c) => c.query(`REVOKE CONNECT ON DATABASE ${db.name} FROM ${role}; DROP ROLE ${role}`));
    }
  });

  it("explains connection problems in plain words", async () => {
    const err = await runPiiScan({ ...connectionOf(db.url), database: `${db.name}_missing` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: "SOURCE_DATABASE_MISSING" });
  });
});
