"use server";

import { z } from "zod";
import { orgAction } from "@/lib/server/org-action";
import { startWorkflowRun } from "@/lib/server/services/jobs/start-workflow-run";

// "Run now" on a workflow (the workflow page calls it): queues a clone, or joins the queued one.
export const runWorkflowNow = orgAction({ name: "workflow.runNow", schema: z.object({ workflowId: z.uuid() }), permission: ["workflow", "run"] }, (ctx, input) =>
  startWorkflowRun({ db: ctx.db, orgId: ctx.org.id, userId: ctx.user.id, workflowId: input.workflowId }),
);
