import { runCanceled } from "./errors";

// A small scheduler for the engine's parallel work: `slots` workers (each owning its own
// database sessions, hence the slot number), highest priority first, and tasks may add tasks
// (a finished copy adds its index builds). Workers wait while other tasks are running, since
// those may add more; the first failure stops the pool and is what it rejects with.

export async function runTaskPool<T extends { priority: number }>(
  initial: T[],
  slots: number,
  signal: AbortSignal,
  onFail: (err: unknown) => void,
  run: (task: T, slot: number, push: (...tasks: T[]) => void) => Promise<void>,
): Promise<void> {
  const queue = [...initial];
  let running = 0;
  let failed: { err: unknown } | null = null;
  let waiting: (() => void)[] = [];
  const wake = () => {
    const w = waiting;
    waiting = [];
    for (const f of w) f();
  };
  const push = (...tasks: T[]) => {
    queue.push(...tasks);
    wake();
  };
  const take = (): T | undefined => {
    if (!queue.length) return undefined;
    let best = 0;
    for (let i = 1; i < queue.length; i++) if (queue[i].priority > queue[best].priority) best = i;
    return queue.splice(best, 1)[0];
  };
  const worker = async (slot: number) => {
    for (;;) {
      if (failed) return;
      if (signal.aborted) {
        failed ??= { err: runCanceled() };
        return;
      }
      const task = take();
      if (task === undefined) {
        if (running === 0) return;
        await new Promise<void>((r) => waiting.push(r));
        continue;
      }
      running++;
      try {
        await run(task, slot, push);
      } catch (err) {
        if (!failed) {
          failed = { err };
          onFail(err);
        }
      } finally {
        running--;
        wake();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, slots) }, (_, i) => worker(i)));
  if (failed) throw (failed as { err: unknown }).err;
}
