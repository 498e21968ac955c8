// How long the steps of a run took, for operators and the benchmark: one log line at the end of a
// run (`Steps (ms): snapshot 12, catalog 85, ...`), names and durations only, never values.
// Steps that run concurrently overlap; each is listed by its own wall time, in start order.

export class StepTimings {
  private steps: { name: string; start: number; ms: number }[] = [];
  private readonly t0 = performance.now();

  /** Runs `fn` and records its wall time under `name` (also when it fails). */
  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.steps.push({ name, start, ms: performance.now() - start });
    }
  }

  /** Records a step that began at `start` (performance.now()) and ends now, named once its outcome is known. */
  add(name: string, start: number) {
    this.steps.push({ name, start, ms: performance.now() - start });
  }

  /** `Steps (ms): a 12, b 85 (at 40), ...`: a step that started before an earlier one ended also shows when it started (ms since the run began). */
  summary(): string {
    const sorted = [...this.steps].sort((a, b) => a.start - b.start);
    let end = 0;
    const parts = sorted.map((s) => {
      const overlaps = s.start < end - 0.5;
      end = Math.max(end, s.start + s.ms);
      return `${s.name} ${Math.round(s.ms)}${overlaps ? ` (at ${Math.round(s.start - this.t0)})` : ""}`;
    });
    return `Steps (ms): ${parts.join(", ")}; total ${Math.round(performance.now() - this.t0)}`;
  }
}
