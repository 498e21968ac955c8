import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";
import type { ConnectionKind } from "./connection-settings";

export type ConnectionView = {
  id: string;
  name: string;
  kind: ConnectionKind;
  /** Non-secret settings as form strings. */
  settings: Record<string, string>;
  /** Whether a password / secret key is stored. The secret itself never leaves the server. */
  hasSecret: boolean;
  introspectedAt: Date | null;
};

/** A connection for its edit form: settings as strings, the secret reduced to a boolean. */
export async function getConnection({ db = prisma, orgId, connectionId }: { db?: Db; orgId: string; connectionId: string }): Promise<ConnectionView> {
  const row = await db.connection.findFirst({
    where: { id: connectionId, orgId },
    select: { id: true, name: true, kind: true, config: true, secretEnc: true, introspectedAt: true },
  });
  if (!row) throw notFound("That connection");
  const settings: Record<string, string> = {};
  for (const [k, v] of Object.entries((row.config ?? {}) as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    settings[k] = typeof v === "boolean" ? (v ? "on" : "") : String(v);
  }
  return { id: row.id, name: row.name, kind: row.kind, settings, hasSecret: !!row.secretEnc, introspectedAt: row.introspectedAt };
}
