import { cx } from "./cx";

type Tone = "gray" | "blue" | "green" | "amber" | "red" | "violet";
const tones: Record<Tone, string> = {
  gray: "bg-slate-100 text-slate-700 ring-slate-200",
  blue: "bg-blue-50 text-blue-700 ring-blue-200",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  red: "bg-red-50 text-red-700 ring-red-200",
  violet: "bg-violet-50 text-violet-700 ring-violet-200",
};

export function Badge({ tone = "gray", children }: { tone?: Tone; children: React.ReactNode }) {
  return <span className={cx("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tones[tone])}>{children}</span>;
}

const roleTones = { OWNER: "violet", ADMIN: "blue", EDITOR: "green", VIEWER: "gray" } as const;
const roleLabels = { OWNER: "Owner", ADMIN: "Admin", EDITOR: "Editor", VIEWER: "Viewer" } as const;

export function RoleBadge({ role }: { role: keyof typeof roleTones }) {
  return <Badge tone={roleTones[role]}>{roleLabels[role]}</Badge>;
}
