import { jobsPool, type Queryable } from "../../../jobs/db";
import { enqueueJob } from "../../../jobs/enqueue-job";
import { prisma, type Db } from "../../db";
import type { ConnectionKind } from "./connection-settings";
import { checkConnectionSettings } from "./save-connection";
import { enforceTestLimits } from "./start-connection-job";

export type StartSettingsTestOptions = {
  db?: Db;
  pool?: Queryable;
  orgId: string;
  userId: string;
  /** Set when the form edits a saved connection: its stored secret is used if none is entered (and only where it was entered for). */
  connectionId?: string;
  kind: ConnectionKind;
  settings: Record<string, string>;
  secret?: string;
};

/**
 * "Test" on the connection form, before anything is saved: the settings pass the same checks as
 * a save (checkConnectionSettings: schema, egress policy, stored-secret rule), and a worker runs
 * the same TEST_CONNECTION as for a saved connection, through the same door (openSession /
 * testS3Connection). The job has no connection: its input carries the parsed config and the
 * secret encrypted, which the worker takes out of the row when it starts (loadTestedSettings).
 * The organisation's limit on failed tests applies (the job is counted like any test), so the
 * form is no more a password oracle or port scanner than the connection page.
 */
export async function startSettingsTest({ db = prisma, pool, orgId, userId, connectionId, kind, settings, secret }: StartSettingsTestOptions): Promise<{ jobId: string }> {
  const { config, secretEnc } = await checkConnectionSettings({ db, orgId, connectionId, kind, settings, secret });
  await enforceTestLimits(db, orgId, null);
  const input = { unsaved: { kind, config }, ...(secretEnc ? { secretEnc } : {}) };
  const { job } = await enqueueJob(pool ?? jobsPool(), { orgId, kind: "TEST_CONNECTION", triggeredByUserId: userId, maxAttempts: 1, input });
  if (!job) throw new Error("enqueueJob returned no job for a connection test");
  return { jobId: job.id };
}
