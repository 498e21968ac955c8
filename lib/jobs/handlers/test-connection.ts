import { testPostgresConnection, testS3Connection } from "../../pipeline/test-connection";
import { loadConnection, loadTestedSettings } from "../load-connection";
import type { JobHandler } from "./types";

// TEST_CONNECTION: connect (in the worker, never in a web request) and report what the app shows:
// server version, user, whether it can be a target / bucket reachable. A saved connection is
// loaded by its id; a job without one tests the unsaved settings of the connection form
// (loadTestedSettings). Messages name the PostgreSQL server, not a role: a tested connection has
// none yet (`input.side`, "source" | "target", words them for a role when given).
export const runTestConnectionJob: JobHandler = async ({ job, pool, log }) => {
  const conn = job.connectionId ? await loadConnection(pool, job.orgId, job.connectionId) : await loadTestedSettings(pool, job);
  const side = job.input.side === "target" ? "target" : job.input.side === "source" ? "source" : "test";
  if (conn.kind === "POSTGRES") {
    const info = await testPostgresConnection(conn.pg, { side });
    log({ level: "info", message: `Connected to PostgreSQL ${info.serverVersion} as ${info.user}.` });
    return { kind: "POSTGRES", ...info };
  }
  const info = await testS3Connection(conn.s3);
  log({ level: "info", message: `Bucket ${info.bucket} is reachable.` });
  return { kind: "S3", ...info };
};
