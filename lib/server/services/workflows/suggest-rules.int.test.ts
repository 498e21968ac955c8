import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery, createTestDatabase, type TestDatabase } from "../../../../test/db";
import { createPrisma, type Db } from "../../db";
import { ensureTestSecretKey, makeOrg, makeUser } from "../../testing/fixtures";
import { saveConnection } from "../connections/save-connection";
import { suggestRules } from "./suggest-rules";

// The editor's scanner against a real source: findings for the chosen tables only, in words,
// with a suggested rule, and never a sampled value; another organisation's connection is missing.

let tdb: TestDatabase;
let source: TestDatabase;
let db: Db;

beforeAll(async () => {
  ensureTestSecretKey();
  tdb = await createTestDatabase();
  source = await createTestDatabase({ template: null, prefix: "doppel_sugg_src" });
  await adminQuery(source.url, `
    CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, city text, plan text);
    INSERT INTO customers SELECT g, 'person' || g || '@mail.example', (ARRAY['Millbrook','Dunwick','Rosemont'])[1 + g % 3], 'starter' FROM generate_series(1, 60) g;
    CREATE TABLE contacts (id int PRIMARY KEY, email text);
    INSERT INTO contacts SELECT g, 'c' || g || '@mail.example' FROM generate_series(1, 10) g;`);
  db = createPrisma(tdb.url, { max: 4 });
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.drop();
  await source.drop();
});

async function orgWithSource() {
  const owner = await makeUser(db);
  const org = await makeOrg(db, owner);
  const u = new URL(source.url);
  const settings = { host: u.hostname, port: u.port || "5432", database: source.name, user: decodeURIComponent(u.username), tlsMode: "disable" };
  const conn = await saveConnection({ db, orgId: org.id, actor: { userId: owner.id, label: owner.email, role: "OWNER" }, name: "Source", kind: "POSTGRES", settings, secret: decodeURIComponent(u.password) });
  return { orgId: org.id, connectionId: conn.id };
}

describe("suggestRules", () => {
  it("samples only the chosen tables and says what each flagged column looks like", async () => {
    const s = await orgWithSource();
    const r = await suggestRules({ db, ...s, tables: [{ schema: "public", table: "customers" }] });
    const byColumn = Object.fromEntries(r.suggestions.map((x) => [x.column, x]));
    expect(r.suggestions.every((x) => x.table === "customers")).toBe(true);
    expect(byColumn.email).toMatchObject({ category: "email", words: "looks like email addresses, 60 of 60 samples", suggestedRule: { rule: "fake", kind: "email" } });
    expect(byColumn.city).toMatchObject({ category: "city", suggestedRule: { rule: "fake", kind: "city" } });
    expect(byColumn.plan).toBeUndefined();
    expect(JSON.stringify(r)).not.toMatch(/person\d+@mail\.example|Millbrook/);
  });

  it("treats another organisation's connection as missing", async () => {
    const a = await orgWithSource();
    const b = await orgWithSource();
    await expect(suggestRules({ db, orgId: a.orgId, connectionId: b.connectionId, tables: [{ schema: "public", table: "customers" }] })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
