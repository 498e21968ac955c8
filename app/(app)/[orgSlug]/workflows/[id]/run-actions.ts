"use server";

import { z } from "zod";
import { orgAction } from "@/lib/server/tenancy/org-action";
import { startRun } from "@/lib/server/services/jobs/start-run";

// "Run now" on a workflow (the workflow page calls it): queues a clone, or joins the queued one.
export const runWorkflowNow = orgAction({ name: "workflow.runNow", schema: z.object({ workflowId: z.uuid() }), permission: ["workflow", "run"] }, (ctx, input) =>
  startRun({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, workflowId: input.workflowId }),
);
