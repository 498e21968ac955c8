import { describe, expect, it } from "vitest";
import { ProgressTracker } from "./progress";

describe("ProgressTracker", () => {
  it("keeps the latest state per table and drains log lines once", () => {
    const t = new ProgressTracker();
    expect(t.drain()).toBeNull();
    const table = { schema: "public", table: "customers", phase: "copying" as const, rowsDone: 10, bytesDone: 100, rowsEstimate: 1000 };
    t.apply({ type: "phase", phase: "copying" });
    t.apply({ type: "table", table });
    t.apply({ type: "table", table: { ...table, rowsDone: 20 } });
    t.apply({ type: "log", level: "info", message: "copying customers" });
    const first = t.drain();
    expect(first?.progress?.phase).toBe("copying");
    expect(first?.progress?.tables).toEqual([{ ...table, rowsDone: 20 }]);
    expect(first?.logs).toEqual([{ level: "info", message: "copying customers" }]);
    expect(t.drain()).toBeNull();
    t.log({ level: "warn", message: "later" });
    expect(t.drain()).toEqual({ progress: null, logs: [{ level: "warn", message: "later" }] });
  });

  it("gives back a drained batch whose write failed: its lines go out first with the next one, and the progress again", () => {
    const t = new ProgressTracker();
    t.apply({ type: "phase", phase: "copying" });
    t.log({ level: "info", message: "first" });
    const failed = t.drain()!;
    t.log({ level: "info", message: "second" });
    t.putBack(failed);
    const next = t.drain();
    expect(next?.logs.map((l) => l.message)).toEqual(["first", "second"]);
    expect(next?.progress?.phase).toBe("copying");
    expect(t.drain()).toBeNull();
  });
});
