import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { withDatabase } from "./pg-server";

// One database per test file, cloned from the migrated template (graphile-worker's approach):
//   const db = await createTestDatabase();  ...  afterAll(() => db.drop());

export type TestDatabase = { name: string; url: string; drop(): Promise<void> };

export async function createTestDatabase(opts: { template?: string | null; prefix?: string } = {}): Promise<TestDatabase> {
  const adminUrl = inject("adminUrl");
  const template = opts.template === undefined ? inject("templateDb") : opts.template;
  const name = `${opts.prefix ?? "doppel_test"}_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
