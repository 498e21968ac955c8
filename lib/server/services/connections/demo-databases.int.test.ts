import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowEgressTo, egressEntryOf } from "../../../../test/egress";
import { freePort, withDatabase } from "../../../../test/pg-server";
import { migrate } from "../../../db/migrate";
import { demoNames, lockDownMaintenanceDatabases, retireSharedDemoRole, type DemoServer } from "../../../dev/demo-databases";
import { demoEnvironment, type Env } from "../../../dev/demo-settings";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from "../../../dev/embedded-postgres";
import { decryptSecret } from "../../crypto";
import type { Db } from "../../db";
import { type AppTestDatabase, makeOrg, makeUser, openAppTestDatabase } from "../../testing/fixtures";
import { deleteOrg } from "../orgs/delete-org";
import { createDemoConnections, demoServer, hasOwnDemoConnections } from "./create-demo-connections";

// Issue 9, requirement 3: demo databases belong to one organisation. The demo server is a
// quick start's own embedded PostgreSQL, started here as `npm start` starts it (its app
// database `doppel` migrated, maintenance databases locked down); the organisations and their
// connections live in this file's app test database.

let app: AppTestDatabase;
let db: Db;
let embedded: EmbeddedServer;
let stateDir: string;
let server: DemoServer;

beforeAll(async () => {
  app = await openAppTestDatabase({ poolMax: 1 });
  db = app.db;
  stateDir = await mkdtemp(path.join(os.tmpdir(), "doppel-demo-test-"));
  await chmod(stateDir, 0o755);
  embedded = await startEmbeddedPostgres({ stateDir, port: await freePort() });
  allowEgressTo(egressEntryOf(embedded.adminUrl)); // as the quick start allows its own demo server
  await lockDownMaintenanceDatabases(embedded.adminUrl);
  server = { adminUrl: embedded.adminUrl, prefix: "demo" };
});
afterAll(async () => {
  await app?.close();
  await embedded?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

async function orgWithDemo() {
  const owner = await makeUser(db);
  const org = await makeOrg(db, owner);
  const actor = { userId: owner.id, label: owner.email, role: "OWNER" as const };
  const ids = await createDemoConnections({ db, orgId: org.id, actor, server });
  const rows = await db.connection.findMany({ where: { orgId: org.id }, orderBy: { name: "asc" } });
  const [source, target] = rows.map((r) => ({ id: r.id, ...(r.config as { host: string; port: number; database: string; user: string }), password: decryptSecret(r.secretEnc!) }));
  return { org, actor, ids, source: source!, target: target! };
}

type Login = { host: string; port: number | string; user: string; password: string };

/** Signs in as `login` to `database`: null when it works, else the SQLSTATE of the refusal. */
async function signIn(login: Login, database: string): Promise<string | null> {
  const client = new pg.Client({ host: login.host, port: Number(login.port), user: login.user, password: login.password, database });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

async function adminRows<T extends pg.QueryResultRow>(sql: string, values: unknown[] = [], database = "postgres") {
  const client = new pg.Client({ connectionString: withDatabase(embedded.adminUrl, database) });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe("demo databases belong to one organisation", () => {
  it("two organisations asking for them get two distinct pairs, each with its own role and password", async () => {
    const a = await orgWithDemo();
    const b = await orgWithDemo();
    expect(new Set([a.source.database, a.target.database, b.source.database, b.target.database]).size).toBe(4);
    expect(a.source.user).toBe(a.target.user);
    expect(a.source.user).not.toBe(b.source.user);
    expect(a.source.password).not.toBe(b.source.password);
    expect(a.source.password).toHaveLength(32);
    expect(a.source.database).toBe(demoNames("demo", a.org.id).source);
    expect(await hasOwnDemoConnections({ db, orgId: a.org.id, server })).toBe(true);

    // Each role reads its seeded source and may build a twin (staging schemas) in its target.
    const client = new pg.Client({ ...a.source, port: Number(a.source.port) });
    await client.connect();
    expect(Number((await client.query("SELECT count(*) FROM customers")).rows[0].count)).toBeGreaterThan(0);
    await client.end();
    const twin = new pg.Client({ ...a.target, port: Number(a.target.port) });
    await twin.connect();
    await twin.query("CREATE SCHEMA doppel_stage_probe; DROP SCHEMA doppel_stage_probe; ALTER SCHEMA public RENAME TO doppel_old_probe; ALTER SCHEMA doppel_old_probe RENAME TO public");
    await twin.end();

    // An ordinary role: it cannot make databases or roles, nor hand its databases to others.
    const [role] = await adminRows<{ rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean }>(
      "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = $1", [a.source.user]);
    expect(role).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
    const acl = await adminRows<{ datname: string; owner: string; grantees: string[] }>(
      `SELECT datname, pg_get_userbyid(datdba) AS owner,
              array(SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END FROM aclexplode(datacl) a WHERE a.privilege_type = 'CONNECT' ORDER BY 1)::text[] AS grantees
         FROM pg_database WHERE datname = ANY($1) ORDER BY datname`,
      [[a.source.database, a.target.database]],
    );
    expect(acl).toEqual([a.source.database, a.target.database].sort().map((datname) => ({ datname, owner: "postgres", grantees: [a.source.user, "postgres"].sort() })));
  });

  it("an organisation's demo role cannot connect to another organisation's demo databases, nor to the maintenance databases", async () => {
    const a = await orgWithDemo();
    const b = await orgWithDemo();
    expect(await signIn(a.source, a.source.database)).toBeNull();
    expect(await signIn(a.source, a.target.database)).toBeNull();
    // 42501: permission denied for database (CONNECT)
    expect(await signIn(a.source, b.source.database)).toBe("42501");
    expect(await signIn(a.source, b.target.database)).toBe("42501");
    expect(await signIn(b.source, a.target.database)).toBe("42501");
    expect(await signIn(a.source, "postgres")).toBe("42501");
    expect(await signIn(a.source, "template1")).toBe("42501");
  });

  it("asking again gives the role a new password, and the organisation's connections get it", async () => {
    const a = await orgWithDemo();
    const again = await createDemoConnections({ db, orgId: a.org.id, actor: a.actor, server });
    expect(again).toEqual(a.ids);
    const row = await db.connection.findUniqueOrThrow({ where: { id: a.ids.sourceId } });
    const fresh = decryptSecret(row.secretEnc!);
    expect(fresh).not.toBe(a.source.password);
    expect(await signIn(a.source, a.source.database)).toBe("28P01"); // the old password is refused
    expect(await signIn({ ...a.source, password: fresh }, a.source.database)).toBeNull();
  });

  it("the quick start retires the demo role that earlier versions shared between organisations", async () => {
    const shared = { host: "127.0.0.1", port: new URL(embedded.adminUrl).port, user: "demo", password: "demo-password" };
    await adminRows("CREATE ROLE demo LOGIN PASSWORD 'demo-password'");
    await adminRows("CREATE DATABASE demo_production OWNER demo");
    expect(await signIn(shared, "demo_production")).toBeNull();
    expect(await retireSharedDemoRole(embedded.adminUrl, "demo")).toBe(true);
    expect(await signIn(shared, "demo_production")).not.toBeNull();
    expect(await retireSharedDemoRole(embedded.adminUrl, "demo")).toBe(false);
  });

  it("deleting the organisation drops its demo databases and role", async () => {
    const a = await orgWithDemo();
    await deleteOrg({ db, orgId: a.org.id, slug: a.org.slug, confirmSlug: a.org.slug, demo: server });
    const names = demoNames("demo", a.org.id);
    expect(await adminRows("SELECT datname FROM pg_database WHERE datname = ANY($1)", [[names.source, names.target]])).toEqual([]);
    expect(await adminRows("SELECT rolname FROM pg_roles WHERE rolname = $1", [names.role])).toEqual([]);
  });
});

describe("no demo role can connect to the app database", () => {
  it("the migration revokes PUBLIC's CONNECT on the app database it is applied to", async () => {
    const a = await orgWithDemo();
    // The quick start's app database, on the same server as the demo databases.
    await ensureDatabase(embedded.adminUrl, "doppel");
    const appUrl = withDatabase(embedded.adminUrl, "doppel");
    // Before the migrations, PUBLIC's default CONNECT lets the demo role in: that is what the migration closes.
    expect(await signIn(a.source, "doppel")).toBeNull();
    const { applied } = await migrate(appUrl);
    expect(applied).toContain("20261201220000_revoke_public_connect");
    expect(await signIn(a.source, "doppel")).toBe("42501");
  });

  it("the migration does not lock out the app's own role (not a superuser, owner of the app database)", async () => {
    const a = await orgWithDemo();
    const password = "app-owner-password";
    await adminRows(`CREATE ROLE doppel_app LOGIN PASSWORD '${password}'`);
    await adminRows("CREATE DATABASE doppel_owned OWNER doppel_app");
    const host = { host: "127.0.0.1", port: new URL(embedded.adminUrl).port };
    const appRole = { ...host, user: "doppel_app", password };
    await migrate(`postgresql://doppel_app:${password}@${host.host}:${host.port}/doppel_owned`);
    expect(await signIn(appRole, "doppel_owned")).toBeNull();
    expect(await signIn(a.source, "doppel_owned")).toBe("42501");
  });
});

describe("demo databases are made only where the quick start, or an explicit setting, asks", () => {
  // The environment `npm start` gives the web app (scripts/start.ts): the web app makes demo
  // databases only with DOPPEL_DEMO_ADMIN_URL, i.e. `demoServer()` of that environment.
  const webEnv = (env: Env) => {
    const demo = demoEnvironment(env, embedded.adminUrl);
    return { ...env, ...demo.all, ...demo.web };
  };

  it("with DATABASE_URL and no DOPPEL_DEMO_DATABASES, the web app gets no demo server, even an inherited one", async () => {
    const env = webEnv({ DATABASE_URL: "postgresql://doppel@db.internal/doppel", DOPPEL_DEMO_ADMIN_URL: embedded.adminUrl });
    expect(env.DOPPEL_DEMO_ADMIN_URL).toBeUndefined();
    expect(demoServer(env)).toBeNull();
    expect(webEnv({ DOPPEL_DEMO_DATABASES: "off" }).DOPPEL_DEMO_ADMIN_URL).toBeUndefined();
    expect(() => webEnv({ DOPPEL_DEMO_DATABASES: "yes" })).toThrow('DOPPEL_DEMO_DATABASES must be "on" or "off"');
  });

  it("the embedded quick start, and DATABASE_URL with DOPPEL_DEMO_DATABASES=on, offer them and allow exactly the demo server's address", async () => {
    const port = new URL(embedded.adminUrl).port;
    const quickStart = webEnv({ DOPPEL_EGRESS_ALLOW: "10.1.0.0/16, db.internal:5432" });
    expect(demoServer(quickStart)).toEqual({ adminUrl: embedded.adminUrl, prefix: "demo" });
    expect(quickStart.DOPPEL_EGRESS_ALLOW).toBe(`10.1.0.0/16,db.internal:5432,127.0.0.1:${port}`);
    const explicit = webEnv({ DATABASE_URL: "postgresql://x@127.0.0.1/x", DOPPEL_DEMO_DATABASES: "on", DOPPEL_DEMO_DB_PREFIX: "demo_e2e" });
    expect(demoServer(explicit)).toEqual({ adminUrl: embedded.adminUrl, prefix: "demo_e2e" });
    expect(explicit.DOPPEL_EGRESS_ALLOW).toBe(`127.0.0.1:${port}`);
  });

  it("nothing is created on the server until an organisation asks", async () => {
    const before = await adminRows<{ datname: string }>("SELECT datname FROM pg_database ORDER BY 1");
    const owner = await makeUser(db);
    const org = await makeOrg(db, owner);
    expect(await adminRows("SELECT datname FROM pg_database ORDER BY 1")).toEqual(before);
    expect(await adminRows("SELECT rolname FROM pg_roles WHERE rolname = $1", [demoNames("demo", org.id).role])).toEqual([]);
  });
});
