import { jsonLogger } from "./logger";

// Named points in the worker's app-database calls where a fault drill can stop it
// (test/worker/app-db-outage.int.test.ts). With DOPPEL_FAULT_POINTS=claim,final-write the worker
// stops at each listed point the first time it gets there, holding that call's connection, logs
// "fault point reached", and goes on at SIGUSR2, so a test can kill the worker's connections at
// exactly that moment instead of sleeping and hoping. Unset (always, outside those tests): no-op.

export const FAULT_POINTS = [
  "claim", // inside the claim transaction, the organisation lock held, before the claiming UPDATE
  "scheduler", // inside the scheduler transaction, the due workflows locked, before enqueueing
  "claim-check", // the claim check a clone makes inside its swap transaction, before COMMIT
  "final-write", // the job's final status write (after the swap, for a clone)
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

const armed = new Set((process.env.DOPPEL_FAULT_POINTS ?? "").split(",").map((p) => p.trim()).filter((p) => p !== ""));

export async function faultPoint(point: FaultPoint): Promise<void> {
  if (!armed.delete(point)) return;
  const resumed = new Promise<void>((resolve) => process.once("SIGUSR2", () => resolve()));
  jsonLogger({})("warn", "fault point reached", { point });
  await resumed;
}
