"use server";

import { z } from "zod";
import { AppError } from "@/lib/server/errors";
import { orgAction } from "@/lib/server/tenancy/org-action";
import { ZSaveConnection } from "@/lib/server/services/connections/connection-settings";
import { createDemoConnections, demoServer } from "@/lib/server/services/connections/create-demo-connections";
import { deleteConnection } from "@/lib/server/services/connections/delete-connection";
import { saveConnection } from "@/lib/server/services/connections/save-connection";
import { startConnectionJob } from "@/lib/server/services/connections/start-connection-job";
import { startSettingsTest } from "@/lib/server/services/connections/start-settings-test";

// Connections are admins' business (permission table: editors and viewers have no
// "connection" rights at all). Secrets go in, never out: results carry ids only.

const ZConnectionId = z.object({ connectionId: z.uuid("That connection was not found.") });

export const createConnectionAction = orgAction(
  { name: "connection.create", schema: ZSaveConnection.omit({ connectionId: true }), permission: ["connection", "create"] },
  (ctx, input) => saveConnection({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, ...input }),
);

export const updateConnectionAction = orgAction(
  { name: "connection.update", schema: ZSaveConnection.required({ connectionId: true }), permission: ["connection", "update"] },
  (ctx, input) => saveConnection({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, ...input }),
);

export const deleteConnectionAction = orgAction({ name: "connection.delete", schema: ZConnectionId, permission: ["connection", "delete"] }, async (ctx, input) => {
  await deleteConnection({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, connectionId: input.connectionId });
  return null;
});

export const testConnectionAction = orgAction({ name: "connection.test", schema: ZConnectionId, permission: ["connection", "read"] }, (ctx, input) =>
  startConnectionJob({ db: ctx.db, orgId: ctx.org.id, userId: ctx.user.id, connectionId: input.connectionId, kind: "TEST_CONNECTION" }),
);

/** "Test" on the form: the unsaved settings (and, editing, the stored secret where it may go); the page polls tests/<jobId>. */
export const testSettingsAction = orgAction(
  { name: "connection.testSettings", schema: ZSaveConnection.omit({ name: true }), permission: ["connection", "create"] },
  (ctx, input) => startSettingsTest({ db: ctx.db, orgId: ctx.org.id, userId: ctx.user.id, ...input }),
);

export const refreshTablesAction = orgAction({ name: "connection.introspect", schema: ZConnectionId, permission: ["connection", "read"] }, (ctx, input) =>
  startConnectionJob({ db: ctx.db, orgId: ctx.org.id, userId: ctx.user.id, connectionId: input.connectionId, kind: "INTROSPECT" }),
);

export const createDemoConnectionsAction = orgAction({ name: "connection.createDemo", schema: z.object({}), permission: ["connection", "create"] }, async (ctx) => {
  const server = demoServer();
  if (!server) throw new AppError("NOT_FOUND", "This server offers no demo databases (the quick start, `npm start` without DATABASE_URL, does; elsewhere set DOPPEL_DEMO_DATABASES=on).");
  return createDemoConnections({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, server });
});
