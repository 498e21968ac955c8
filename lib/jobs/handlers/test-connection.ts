import { testPostgresConnection, testS3Connection } from "../../pipeline/test-connection";
import { JobFailure } from "../errors";
import { loadConnection } from "../load-connection";
import type { JobHandler } from "./types";

// TEST_CONNECTION: connect with the stored settings (in the worker, never in a web request) and
// report what the app shows: server version, user, whether it can be a target / bucket reachable.
// `input.side` ("source" | "target") only words the error messages.
export const runTestConnectionJob: JobHandler = async ({ job, pool, log }) => {
  if (!job.connectionId) throw new JobFailure("INVALID_INPUT", "This test has no connection.", "Start the test from a connection's page.");
  const conn = await loadConnection(pool, job.orgId, job.connectionId);
  const side = job.input.side === "target" ? "target" : "source";
  if (conn.kind === "POSTGRES") {
    const info = await testPostgresConnection(conn.pg, { side });
    log({ level: "info", message: `Connected to PostgreSQL ${info.serverVersion} as ${info.user}.` });
    return { kind: "POSTGRES", ...info };
  }
  const info = await testS3Connection(conn.s3);
  log({ level: "info", message: `Bucket ${info.bucket} is reachable.` });
  return { kind: "S3", ...info };
};
