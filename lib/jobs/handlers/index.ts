import type { JobKind } from "../queue";
import { runCloneJob } from "./clone";
import { runIntrospectJob } from "./introspect";
import { runNoop } from "./noop";
import { runPiiScanJob } from "./pii-scan";
import { runTestConnectionJob } from "./test-connection";
import type { JobHandler } from "./types";

// One handler per job kind. Workers claim only kinds listed here: others wait in the queue
// instead of failing.
export const HANDLERS: Partial<Record<JobKind, JobHandler>> = {
  CLONE: runCloneJob,
  INTROSPECT: runIntrospectJob,
  NOOP: runNoop,
  PII_SCAN: runPiiScanJob,
  TEST_CONNECTION: runTestConnectionJob,
};
