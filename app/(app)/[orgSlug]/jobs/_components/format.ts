// Plain-words formatting for job pages (server and client). Dates: app/_components/relative-time.tsx.


export const count = (n: number) => n.toLocaleString("en-US");

export function duration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export const KIND_LABELS: Record<string, string> = { CLONE: "Clone", PII_SCAN: "PII scan", TEST_CONNECTION: "Connection test", INTROSPECT: "Table list", NOOP: "No-op" };

export const STATUS_LABELS: Record<string, string> = { QUEUED: "Queued", RUNNING: "Running", SUCCEEDED: "Succeeded", FAILED: "Failed", CANCELED: "Canceled" };
