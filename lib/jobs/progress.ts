import type { ProgressEvent, TableProgress } from "../pipeline/types";
import type { LogLine } from "./queue";

// Engine progress is frequent (per chunk); the database gets it at most once per interval.
// The tracker keeps the latest state per table plus pending log lines; the worker drains it on
// a timer and once more before the final write.

export type JobProgress = { phase: string | null; tables: TableProgress[]; updatedAt: string };

const MAX_PENDING_LOGS = 500;

export class ProgressTracker {
  private phase: string | null = null;
  private tables = new Map<string, TableProgress>();
  private logs: LogLine[] = [];
  private dirty = false;
  private droppedLogs = 0;

  apply(event: ProgressEvent): void {
    switch (event.type) {
      case "tables":
        for (const t of event.tables) this.tables.set(`${t.schema}.${t.table}`, t);
        break;
      case "table":
        this.tables.set(`${event.table.schema}.${event.table.table}`, event.table);
        break;
      case "phase":
        this.phase = event.phase;
        break;
      case "log":
        this.log({ level: event.level, message: event.message });
        return;
    }
    this.dirty = true;
  }

  log(line: LogLine): void {
    if (this.logs.length >= MAX_PENDING_LOGS) this.droppedLogs++;
    else this.logs.push({ level: line.level, message: line.message.slice(0, 2000) });
  }

  /** Gives back what drain() returned when writing it failed: its lines go out with the next write. */
  putBack(pending: { progress: JobProgress | null; logs: LogLine[] }): void {
    this.logs = [...pending.logs, ...this.logs].slice(0, MAX_PENDING_LOGS);
    if (pending.progress) this.dirty = true;
  }

  /** What to write now: progress (null when unchanged) and the log lines since the last drain. */
  drain(): { progress: JobProgress | null; logs: LogLine[] } | null {
    if (!this.dirty && this.logs.length === 0 && this.droppedLogs === 0) return null;
    const logs = this.logs;
    if (this.droppedLogs) logs.push({ level: "warn", message: `${this.droppedLogs} log lines were dropped (too many in one second).` });
    this.logs = [];
    this.droppedLogs = 0;
    const progress = this.dirty ? { phase: this.phase, tables: [...this.tables.values()], updatedAt: new Date().toISOString() } : null;
    this.dirty = false;
    return { progress, logs };
  }
}
