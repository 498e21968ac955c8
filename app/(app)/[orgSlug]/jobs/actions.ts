"use server";

import { z } from "zod";
import { orgAction } from "@/lib/server/org-action";
import { cancelRun } from "@/lib/server/services/jobs/cancel-run";
import { runAgain } from "@/lib/server/services/jobs/run-again";

const ZJobId = z.object({ jobId: z.uuid() });

export const cancelRunAction = orgAction({ name: "job.cancel", schema: ZJobId, permission: ["job", "run"] }, async (ctx, input) => ({
  outcome: await cancelRun({ orgId: ctx.org.id, jobId: input.jobId }),
}));

export const runAgainAction = orgAction({ name: "job.runAgain", schema: ZJobId, permission: ["job", "run"] }, (ctx, input) =>
  runAgain({ orgId: ctx.org.id, userId: ctx.user.id, role: ctx.role, jobId: input.jobId }),
);
