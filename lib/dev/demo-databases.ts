import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { withDatabase } from "./url";

// The quick start's demo databases, on the same server as the app database:
// `<prefix>_production` (fake PII, prisma/demo/production.sql) and an empty `<prefix>_twin`,
// both owned by a login role `<prefix>` whose password is printed by `npm start`, so that a new
// user can add them as connections and run a first workflow.

export type DemoDatabases = {
  host: string;
  port: number;
  user: string;
  password: string;
  source: string;
  target: string;
};

export async function ensureDemoDatabases(adminUrl: string, prefix = "demo"): Promise<DemoDatabases> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`Demo database prefix "${prefix}" must be lower-case letters, digits and _.`);
  const role = prefix;
  const password = `${prefix}-password`;
  const source = `${prefix}_production`;
  const target = `${prefix}_twin`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(72707371)");
    const roleExists = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    if (!roleExists.rowCount) await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    for (const db of [source, target]) {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
      if (exists.rowCount) continue;
      await admin.query(`CREATE DATABASE ${db} OWNER ${role}`);
      if (db === source) await seedSource(withDatabase(adminUrl, db), role);
    }
    await admin.query("SELECT pg_advisory_unlock(72707371)");
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  return { host: u.hostname, port: Number(u.port || 5432), user: role, password, source, target };
}

async function seedSource(url: string, owner: string) {
  const sql = await readFile(path.join(process.cwd(), "prisma", "demo", "production.sql"), "utf8");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Created as the owner so that the demo role can read and (for the twin) write everything.
    await client.query(`SET ROLE ${owner}`);
    await client.query("BEGIN");
    await client.query(sql);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
