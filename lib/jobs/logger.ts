// The worker's log: one JSON line per event on stdout. Fields are ids and counts, never values
// or secrets (errors go through describeForLog).

export type Logger = (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;

export function jsonLogger(base: Record<string, unknown>): Logger {
  return (level, msg, fields) => {
    process.stdout.write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...base, ...fields }) + "\n");
  };
}
