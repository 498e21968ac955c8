import { prisma, type Db } from "../../db";

/** Workflows whose current version reads from or writes to the connection. */
export async function workflowsUsingConnection({ db = prisma, orgId, connectionId }: { db?: Db; orgId: string; connectionId: string }) {
  return db.$queryRaw<{ id: string; name: string }[]>`
    SELECT w.id, w.name FROM workflows w
      JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.current_version
     WHERE w.org_id = ${orgId}::uuid
       AND (v.config->>'sourceConnectionId' = ${connectionId}
         OR v.config#>>'{outputs,target,connectionId}' = ${connectionId}
         OR v.config#>>'{outputs,s3,connectionId}' = ${connectionId})
     ORDER BY w.name`;
}
