import { describe, expect, it } from "vitest";
import { runTaskPool } from "./task-pool";

type T = { priority: number; name: string; children?: T[] };

describe("runTaskPool", () => {
  it("runs the highest priority first, lets tasks add tasks, and keeps every slot busy with them", async () => {
    const log: string[] = [];
    const slotsUsed = new Set<number>();
    // The order is set by promises, not timers: copy-huge ends while copy-big still runs (so its
    // worker finds the queue empty and must wait), then copy-big adds two index tasks.
    let hugeDone!: () => void;
    const hugeEnded = new Promise<void>((r) => { hugeDone = r; });
    let bothStarted!: () => void;
    const started = new Promise<void>((r) => { bothStarted = r; });
    const tasks: T[] = [
      { priority: 10, name: "copy-big", children: [{ priority: 2, name: "idx-big-1" }, { priority: 2, name: "idx-big-2" }] },
      { priority: 11, name: "copy-huge" },
    ];
    await runTaskPool<T>(tasks, 2, new AbortController().signal, () => {}, async (t, slot, push) => {
      log.push(`start ${t.name}`);
      if (log.length === 2) bothStarted();
      if (t.name.startsWith("idx")) slotsUsed.add(slot);
      if (t.name === "copy-huge") {
        await started;
        hugeDone();
      }
      if (t.name === "copy-big") {
        await hugeEnded;
        // Let copy-huge's worker finish its task and go idle (setImmediate runs after every pending promise callback).
        await new Promise((r) => setImmediate(r));
      }
      if (t.children) push(...t.children);
    });
    expect(log.slice(0, 2)).toEqual(["start copy-huge", "start copy-big"]);
    expect(log).toHaveLength(4);
    // The worker that finished first waited for the added tasks instead of leaving.
    expect(slotsUsed.size).toBe(2);
  });

  it("stops at the first failure and rejects with it", async () => {
    const started: string[] = [];
    const failure = new Error("boom");
    let aborted = false;
    const p = runTaskPool<T>([{ priority: 3, name: "a" }, { priority: 2, name: "b" }, { priority: 1, name: "c" }], 1, new AbortController().signal, () => { aborted = true; }, async (t) => {
      started.push(t.name);
      if (t.name === "b") throw failure;
    });
    await expect(p).rejects.toBe(failure);
    expect(started).toEqual(["a", "b"]);
    expect(aborted).toBe(true);
  });
});
