import { jobsPool, type Queryable } from "../../../jobs/db";
import { cancelJob, getJob } from "../../../jobs/queue";
import { AppError, notFound } from "../../errors";

/** Cancels a queued or running job of this organisation (a running one stops within seconds). */
export async function cancelRun({ pool = jobsPool(), orgId, jobId }: { pool?: Queryable; orgId: string; jobId: string }): Promise<"CANCELED" | "CANCEL_REQUESTED"> {
  const outcome = await cancelJob(pool, { orgId, jobId });
  if (outcome) return outcome;
  if (!(await getJob(pool, { orgId, jobId }))) throw notFound("That run");
  throw new AppError("CONFLICT", "This run has already finished.");
}
