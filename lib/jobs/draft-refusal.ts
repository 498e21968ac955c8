import { listColumns, REVIEW_HINT } from "../pipeline/review-policy";
import { unreviewedColumns, type UnreviewedTable } from "../redaction/review";
import { ZWorkflowConfig } from "../schemas/workflow";
import { readIntrospection } from "../server/services/workflows/source-catalog";
import type { Queryable } from "./db";
import { JobFailure } from "./errors";

// A draft (a version saved with columns nobody has reviewed) never runs. Refused when a run is
// enqueued (Run now, Reset demo, the API, Run again) and again by the worker (a scheduled run
// is enqueued and fails, so the refusal shows in the run history). The message names the
// columns, as the source's cached table list has them now; the job keeps them in its report.

export const UNREVIEWED_COLUMNS = "UNREVIEWED_COLUMNS";

export async function draftRefusal(db: Queryable, opts: { orgId: string; version: number; config: unknown }): Promise<JobFailure> {
  const parsed = ZWorkflowConfig.safeParse(opts.config);
  let unreviewed: UnreviewedTable[] = [];
  if (parsed.success) {
    const { rows } = await db.query<{ introspection: unknown }>(
      `SELECT introspection FROM connections WHERE id::text = $1 AND org_id = $2::uuid`, [parsed.data.sourceConnectionId, opts.orgId]);
    const intro = readIntrospection(rows[0]?.introspection ?? null);
    if (intro) unreviewed = unreviewedColumns(parsed.data.tables, intro.tables);
  }
  const count = unreviewed.reduce((a, t) => a + t.columns.length, 0);
  const which = count ? `: ${count === 1 ? "this column has" : `these ${count} columns have`} not been reviewed: ${listColumns(unreviewed)}` : " with columns nobody has reviewed";
  return new JobFailure(UNREVIEWED_COLUMNS, `Version ${opts.version} of this workflow is a draft${which}. A draft never runs.`, REVIEW_HINT, false, { unreviewed });
}
