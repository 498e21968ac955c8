// Schedule presets and plain-words descriptions (shared by the list page and the editor).

export const SCHEDULE_PRESETS = [
  { id: "hourly", label: "Hourly", cron: "0 * * * *", text: "every hour, on the hour" },
  { id: "nightly", label: "Nightly", cron: "0 3 * * *", text: "every night at 03:00 UTC" },
  { id: "weekly", label: "Weekly", cron: "0 3 * * 1", text: "every Monday at 03:00 UTC" },
] as const;

export function describeCron(cron: string): string {
  const preset = SCHEDULE_PRESETS.find((p) => p.cron === cron);
  return preset ? preset.text[0].toUpperCase() + preset.text.slice(1) : `Cron ${cron} (UTC)`;
}
