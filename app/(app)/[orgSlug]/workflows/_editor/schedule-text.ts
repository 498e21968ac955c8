// Schedule presets and plain-words descriptions (shared by the list page and the editor).

export const SCHEDULE_PRESETS = [
  { id: "hourly", label: "Hourly", cron: "0 * * * *" },
  { id: "nightly", label: "Nightly", cron: "0 3 * * *" },
  { id: "weekly", label: "Weekly", cron: "0 3 * * 1" },
] as const;

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const two = (s: string) => s.padStart(2, "0");

/** "Every day at 03:00 UTC" for the common shapes; the expression itself otherwise. */
export function describeCron(cron: string): string {
  const f = cron.trim().split(/\s+/);
  if (f.length === 5 && /^\d+$/.test(f[0]) && f[2] === "*" && f[3] === "*") {
    const [m, h, , , dow] = f;
    if (h === "*" && dow === "*") return `Every hour at :${two(m)}`;
    if (/^\d+$/.test(h)) {
      const at = `${two(h)}:${two(m)} UTC`;
      if (dow === "*") return `Every day at ${at}`;
      if (/^[0-7]$/.test(dow)) return `Every ${DAYS[Number(dow)]} at ${at}`;
    }
  }
  return `Cron ${cron} (UTC)`;
}
