import { DEFAULT_DEMO_PREFIX, type Env } from "../../../dev/demo-settings";
import { demoNames, dropDemoDatabases, provisionDemoDatabases, type DemoServer } from "../../../dev/demo-databases";
import { prisma, type Db } from "../../db";
import type { OrgActor } from "../../tenancy/membership";
import { saveConnection } from "./save-connection";

// "Use the demo databases": on a server started by the quick start (`npm start`, which passes
// the demo server's admin URL in DOPPEL_DEMO_ADMIN_URL), one click gives the organisation a
// demo source and an empty twin of its own, with a login role and password of its own, and
// turns them into two connections, so a new user can run a first workflow in a minute.

export const DEMO_SOURCE_NAME = "Demo production";
export const DEMO_TARGET_NAME = "Demo twin";

/** Where this server makes demo databases, or null when it offers none. */
export function demoServer(env: Env = process.env): DemoServer | null {
  if (!env.DOPPEL_DEMO_ADMIN_URL) return null;
  return { adminUrl: env.DOPPEL_DEMO_ADMIN_URL, prefix: env.DOPPEL_DEMO_DB_PREFIX || DEFAULT_DEMO_PREFIX };
}

/**
 * Makes (or repairs) the organisation's pair with a new password, and points the connections
 * "Demo production" and "Demo twin" at it: created if missing, else updated with the new
 * password (so a connection from an earlier, shared demo pair moves to the organisation's own).
 */
export async function createDemoConnections({ db = prisma, orgId, actor, server }: { db?: Db; orgId: string; actor: OrgActor; server: DemoServer }) {
  const pair = await provisionDemoDatabases(server, orgId);
  const ids: { sourceId: string; targetId: string } = { sourceId: "", targetId: "" };
  for (const [name, database, key] of [[DEMO_SOURCE_NAME, pair.source, "sourceId"], [DEMO_TARGET_NAME, pair.target, "targetId"]] as const) {
    const existing = await db.connection.findFirst({ where: { orgId, name }, select: { id: true } });
    ids[key] = (
      await saveConnection({
        db, orgId, actor, connectionId: existing?.id, name, kind: "POSTGRES",
        settings: { host: pair.host, port: String(pair.port), database, user: pair.user, tlsMode: "disable" },
        secret: pair.password,
      })
    ).id;
  }
  return ids;
}

/** True when both demo connections point at this organisation's own pair. */
export async function hasOwnDemoConnections({ db = prisma, orgId, server }: { db?: Db; orgId: string; server: DemoServer }) {
  const names = demoNames(server.prefix, orgId);
  const rows = await db.connection.findMany({ where: { orgId, name: { in: [DEMO_SOURCE_NAME, DEMO_TARGET_NAME] } }, select: { name: true, config: true } });
  const database = (name: string) => (rows.find((r) => r.name === name)?.config as { database?: string } | undefined)?.database;
  return database(DEMO_SOURCE_NAME) === names.source && database(DEMO_TARGET_NAME) === names.target;
}

/** After an organisation is deleted: its demo pair and role go too (best effort; logged, never thrown). */
export async function dropOrgDemoDatabases(server: DemoServer, orgId: string) {
  await dropDemoDatabases(server, orgId).catch((err: NodeJS.ErrnoException) => {
    console.log(`[org] could not drop the demo databases of organisation ${orgId} (${err.code ?? err.name}); drop the databases and the role named ${demoNames(server.prefix, orgId).role}* by hand`);
  });
}
