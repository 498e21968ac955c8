import type { JobKind } from "../queue";
import { runCloneJob } from "./clone";
import { runNoop } from "./noop";
import type { JobHandler } from "./types";

// One handler per job kind. PII_SCAN has none yet (the scan lives in lib/pii/, not built):
// workers do not claim PII_SCAN jobs, so they wait in the queue instead of failing.
export const HANDLERS: Partial<Record<JobKind, JobHandler>> = {
  CLONE: runCloneJob,
  NOOP: runNoop,
};
