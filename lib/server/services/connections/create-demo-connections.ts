import { z } from "zod";
import { prisma, type Db } from "../../db";
import type { OrgActor } from "../actor";
import { saveConnection } from "./save-connection";

// "Use the demo databases": the quick start (`npm start`) creates a demo source and an empty
// twin on its embedded server and passes their details in DOPPEL_DEMO_CONNECTION. One click
// turns them into two connections, so a new user can run a first workflow in a minute.

const ZDemo = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int(),
  user: z.string().min(1),
  password: z.string(),
  source: z.string().min(1),
  target: z.string().min(1),
});
export type DemoDatabases = z.infer<typeof ZDemo>;

export const DEMO_SOURCE_NAME = "Demo production";
export const DEMO_TARGET_NAME = "Demo twin";

/** The demo databases offered by this server, or null when it was not started by the quick start. */
export function demoDatabases(env: NodeJS.ProcessEnv = process.env): DemoDatabases | null {
  if (!env.DOPPEL_DEMO_CONNECTION) return null;
  try {
    const parsed = ZDemo.safeParse(JSON.parse(env.DOPPEL_DEMO_CONNECTION));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Creates the two demo connections (a connection of the same name is left as it is). */
export async function createDemoConnections({ db = prisma, orgId, actor, demo }: { db?: Db; orgId: string; actor: OrgActor; demo: DemoDatabases }) {
  const ids: { sourceId: string; targetId: string } = { sourceId: "", targetId: "" };
  for (const [name, database, key] of [[DEMO_SOURCE_NAME, demo.source, "sourceId"], [DEMO_TARGET_NAME, demo.target, "targetId"]] as const) {
    const existing = await db.connection.findFirst({ where: { orgId, name }, select: { id: true } });
    ids[key] = existing
      ? existing.id
      : (
          await saveConnection({
            db, orgId, actor, name, kind: "POSTGRES",
            settings: { host: demo.host, port: String(demo.port), database, user: demo.user, tlsMode: "disable" },
            secret: demo.password,
          })
        ).id;
  }
  return ids;
}
