import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { withDatabase } from "./url";

// The demo databases of one organisation, on the quick start's server: `<role>_production`
// (fake PII, prisma/demo/production.sql) and an empty `<role>_twin`, where the role is
// `<prefix>_<organisation id>`. Only that role may connect to them (CONNECT revoked from
// PUBLIC), it gets a new random password each time the organisation asks for them (stored only
// as its connections' encrypted secret), and it is an ordinary login role: no superuser, no
// CREATEDB/CREATEROLE, and the databases belong to the server's admin, so it cannot change who
// may connect. It owns the schema `public` in both, which the engine's swap renames in the twin.

export type DemoServer = { adminUrl: string; prefix: string };
export type DemoPair = { host: string; port: number; user: string; password: string; source: string; target: string };

const PREFIX = /^[a-z_][a-z0-9_]{0,15}$/;

export function demoNames(prefix: string, orgId: string) {
  if (!PREFIX.test(prefix)) throw new Error(`Demo database prefix "${prefix}" must be 1-16 lower-case letters, digits and _ (DOPPEL_DEMO_DB_PREFIX).`);
  const key = orgId.replace(/-/g, "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(key)) throw new Error("An organisation id is a UUID.");
  const role = `${prefix}_${key}`;
  return { role, source: `${role}_production`, target: `${role}_twin` };
}

/** Creates the organisation's pair (or repairs its grants) and gives its role a new password. */
export async function provisionDemoDatabases({ adminUrl, prefix }: DemoServer, orgId: string): Promise<DemoPair> {
  const { role, source, target } = demoNames(prefix, orgId);
  const password = randomBytes(24).toString("base64url");
  await withClient(adminUrl, async (admin) => {
    // One provisioning per organisation at a time (two clicks, two web processes).
    await admin.query("SELECT pg_advisory_lock(72707371, hashtext($1))", [orgId]);
    const exists = (await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount;
    // The password goes over as a SCRAM verifier, so that it is in no server log even when the statement fails.
    const verifier = admin.escapeLiteral(scramVerifier(password));
    await admin.query(
      exists
        ? `ALTER ROLE ${role} WITH LOGIN PASSWORD ${verifier}`
        : `CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 20 PASSWORD ${verifier}`,
    );
    for (const db of [source, target]) {
      const created = !(await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [db])).rowCount;
      if (created) await admin.query(`CREATE DATABASE ${db}`);
      await admin.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
      await admin.query(`GRANT CONNECT, TEMPORARY${db === target ? ", CREATE" : ""} ON DATABASE ${db} TO ${role}`);
      try {
        await withClient(withDatabase(adminUrl, db), async (c) => {
          await c.query(`ALTER SCHEMA public OWNER TO ${role}`);
          if (created && db === source) await seed(c, role);
        });
      } catch (err) {
        // A half-made source would stay empty forever (the next request finds it and skips the seed).
        if (created) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => {});
        throw err;
      }
    }
  });
  const u = new URL(adminUrl);
  return { host: u.hostname, port: Number(u.port || 5432), user: role, password, source, target };
}

/** Drops the organisation's pair and role (when it is deleted). Missing ones are fine. */
export async function dropDemoDatabases({ adminUrl, prefix }: DemoServer, orgId: string): Promise<void> {
  const { role, source, target } = demoNames(prefix, orgId);
  await withClient(adminUrl, async (admin) => {
    await admin.query("SELECT pg_advisory_lock(72707371, hashtext($1))", [orgId]);
    for (const db of [source, target]) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
  });
}

/**
 * Quick start only (its own embedded server): no role but the admin may connect to the
 * maintenance databases either. Without this, every demo role could sign in to `postgres` and
 * `template1` (PUBLIC's default CONNECT) and list the server's databases and roles from there.
 */
export async function lockDownMaintenanceDatabases(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (admin) => {
    for (const db of ["postgres", "template1"]) await admin.query(`REVOKE CONNECT ON DATABASE ${db} FROM PUBLIC`);
  });
}

/**
 * Earlier quick starts made one pair shared by every organisation, with the role `<prefix>` and
 * a well-known password. That role may no longer sign in; its databases are left as they were.
 * True when it was retired now.
 */
export async function retireSharedDemoRole(adminUrl: string, prefix: string): Promise<boolean> {
  if (!PREFIX.test(prefix)) return false;
  return withClient(adminUrl, async (admin) => {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolcanlogin", [prefix]);
    if (rowCount) await admin.query(`ALTER ROLE ${prefix} NOLOGIN PASSWORD NULL`);
    return !!rowCount;
  });
}

async function seed(client: pg.Client, role: string) {
  const sql = await readFile(path.join(process.cwd(), "prisma", "demo", "production.sql"), "utf8");
  // Created as the role, so that it owns (and may read) every table.
  await client.query("BEGIN");
  try {
    await client.query(`SET LOCAL ROLE ${role}`);
    await client.query(sql);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

/** PostgreSQL's SCRAM-SHA-256 verifier (RFC 5802/7677, as `ALTER ROLE ... PASSWORD` stores it). */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
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
