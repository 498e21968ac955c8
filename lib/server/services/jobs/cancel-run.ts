import { jobsPool, type Queryable } from "../../../jobs/db";
import { cancelJob, getJob } from "../../../jobs/queue";
import { recordAudit } from "../../audit";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";

/** Cancels a queued or running job of this organisation (a running one stops within seconds); audited. */
export async function cancelRun({ pool = jobsPool(), orgId, jobId, actor }: { pool?: Queryable; orgId: string; jobId: string; actor: OrgActor }): Promise<"CANCELED" | "CANCEL_REQUESTED"> {
  const outcome = await cancelJob(pool, { orgId, jobId });
  if (!outcome) {
    if (!(await getJob(pool, { orgId, jobId }))) throw notFound("That run");
    throw new AppError("CONFLICT", "This run has already finished.");
  }
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "run.canceled", target: jobId, details: { outcome: outcome.toLowerCase() } }, pool);
  return outcome;
}
