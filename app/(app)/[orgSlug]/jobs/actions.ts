"use server";

import { z } from "zod";
import { cancelRun } from "@/lib/server/services/jobs/cancel-run";
import { runAgain } from "@/lib/server/services/jobs/run-again";
import { orgAction } from "@/lib/server/tenancy/org-action";

const ZJobId = z.object({ jobId: z.uuid() });

export const cancelRunAction = orgAction({ name: "job.cancel", schema: ZJobId, permission: ["job", "run"] }, async (ctx, input) => ({
  outcome: await cancelRun({ orgId: ctx.org.id, actor: ctx.actor, jobId: input.jobId }),
}));

export const runAgainAction = orgAction({ name: "job.runAgain", schema: ZJobId, permission: ["job", "run"] }, (ctx, input) =>
  runAgain({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, jobId: input.jobId }),
);
