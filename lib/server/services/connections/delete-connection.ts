import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";
import { workflowsUsingConnection } from "./workflows-using-connection";

export type DeleteConnectionOptions = { db?: Db; orgId: string; actor: OrgActor; connectionId: string };

/** Deletes a connection no workflow's current version uses (else CONFLICT naming them). */
export async function deleteConnection({ db = prisma, orgId, actor, connectionId }: DeleteConnectionOptions): Promise<void> {
  const conn = await db.connection.findFirst({ where: { id: connectionId, orgId }, select: { id: true, name: true } });
  if (!conn) throw notFound("That connection");
  const users = await workflowsUsingConnection({ db, orgId, connectionId });
  if (users.length > 0) {
    throw new AppError("CONFLICT", `This connection is used by ${users.map((w) => `“${w.name}”`).join(", ")}. Choose another connection there first.`);
  }
  const deleted = await db.connection.deleteMany({ where: { id: conn.id, orgId } });
  if (deleted.count !== 1) throw notFound("That connection");
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "connection.deleted", target: conn.name }, db);
}
