"use client";

import { controlClass } from "@/app/_components/field";
import { FAKE_KINDS, MASK_FORMATS, type TRule, type TScalarRule } from "@/lib/schemas/rules";
import type { EditorColumn } from "./editor-types";

// The options of the chosen rule, as small labelled inputs (never raw JSON). A fake's kind is
// chosen in the rule picker itself ("Fake email").

// Sized by each input (the shared control class is full width).
const small = `${controlClass.replace("w-full", "w-auto")} py-1.5`;
const FAKE_LABEL = (k: string) => k.replace("_", " ");
const MASK_LABEL: Record<(typeof MASK_FORMATS)[number], string> = { keep_last: "keep last characters", phone: "phone (keep format)", ssn: "SSN (keep format)", card: "card number (keep format)" };

export function RuleOptions({ rule, column, onChange, disabled }: { rule: TRule; column: EditorColumn; onChange(r: TRule): void; disabled: boolean }) {
  const num = (v: string, fallback: number) => (v.trim() === "" || !Number.isFinite(Number(v)) ? fallback : Number(v));
  switch (rule.rule) {
    case "constant":
      return <input aria-label={`Fixed value for ${column.name}`} placeholder="value" className={small} value={rule.value} disabled={disabled} onChange={(e) => onChange({ ...rule, value: e.target.value })} />;
    case "hash":
      return (
        <div className="flex gap-2">
          <input aria-label={`Hash length for ${column.name}`} type="number" min={8} max={64} className={`${small} w-20`} value={rule.length} disabled={disabled} onChange={(e) => onChange({ ...rule, length: num(e.target.value, 16) })} />
          <select aria-label={`Hash encoding for ${column.name}`} className={`${small} w-28`} value={rule.encoding} disabled={disabled} onChange={(e) => onChange({ ...rule, encoding: e.target.value as "hex" | "base32" })}>
            <option value="hex">hex</option>
            <option value="base32">base32</option>
          </select>
        </div>
      );
    case "mask":
      return (
        <div className="flex flex-wrap gap-2">
          <select aria-label={`Mask format for ${column.name}`} className={`${small} w-44`} value={rule.format} disabled={disabled} onChange={(e) => onChange({ ...rule, format: e.target.value as typeof rule.format })}>
            {MASK_FORMATS.map((f) => (
              <option key={f} value={f}>
                {MASK_LABEL[f]}
              </option>
            ))}
          </select>
          {rule.format === "keep_last" && (
            <>
              <input aria-label={`Characters kept for ${column.name}`} type="number" min={0} max={16} className={`${small} w-16`} value={rule.keepLast} disabled={disabled} onChange={(e) => onChange({ ...rule, keepLast: num(e.target.value, 4) })} />
              <input aria-label={`Mask character for ${column.name}`} maxLength={1} className={`${small} w-12 text-center`} value={rule.maskChar} disabled={disabled} onChange={(e) => onChange({ ...rule, maskChar: e.target.value.slice(-1) || "*" })} />
            </>
          )}
        </div>
      );
    case "date_shift":
      return (
        <span className="flex items-center gap-2 whitespace-nowrap text-xs text-slate-600">
          up to ±
          <input aria-label={`Maximum days shifted for ${column.name}`} type="number" min={1} max={3650} className={`${small} w-20`} value={rule.maxDays} disabled={disabled} onChange={(e) => onChange({ ...rule, maxDays: num(e.target.value, 30) })} />
          days
        </span>
      );
    case "numeric_noise":
      return (
        <span className="flex items-center gap-2 whitespace-nowrap text-xs text-slate-600">
          up to ±
          <input aria-label={`Noise percent for ${column.name}`} type="number" min={1} max={100} className={`${small} w-20`} value={rule.percent} disabled={disabled} onChange={(e) => onChange({ ...rule, percent: num(e.target.value, 10) })} />%
        </span>
      );
    case "json_paths":
      return <JsonPaths rule={rule} column={column} onChange={onChange} disabled={disabled} />;
    default:
      return null;
  }
}

const SCALAR_CHOICES: { label: string; rule: TScalarRule }[] = [
  { label: "empty (null)", rule: { rule: "null" } },
  { label: "hash", rule: { rule: "hash", length: 16, encoding: "hex" } },
  { label: "mask", rule: { rule: "mask", format: "keep_last", keepLast: 4, maskChar: "*" } },
  ...FAKE_KINDS.map((k) => ({ label: `fake ${FAKE_LABEL(k)}`, rule: { rule: "fake" as const, kind: k } })),
];
const choiceOf = (r: TScalarRule) => SCALAR_CHOICES.findIndex((c) => c.rule.rule === r.rule && (r.rule !== "fake" || (c.rule.rule === "fake" && c.rule.kind === r.kind)));

function JsonPaths({ rule, column, onChange, disabled }: { rule: Extract<TRule, { rule: "json_paths" }>; column: EditorColumn; onChange(r: TRule): void; disabled: boolean }) {
  const set = (paths: typeof rule.paths) => onChange({ ...rule, paths });
  return (
    <div className="space-y-1.5">
      {rule.paths.map((p, i) => (
        <div key={i} className="flex gap-2">
          <input aria-label={`JSON path ${i + 1} of ${column.name}`} className={`${small} w-36 font-mono`} value={p.path} disabled={disabled} placeholder="$.email" onChange={(e) => set(rule.paths.map((x, j) => (j === i ? { ...x, path: e.target.value } : x)))} />
          <select aria-label={`Rule for JSON path ${i + 1} of ${column.name}`} className={`${small} w-40`} value={Math.max(0, choiceOf(p.apply))} disabled={disabled} onChange={(e) => set(rule.paths.map((x, j) => (j === i ? { ...x, apply: SCALAR_CHOICES[Number(e.target.value)].rule } : x)))}>
            {SCALAR_CHOICES.map((c, k) => (
              <option key={c.label} value={k}>
                {c.label}
              </option>
            ))}
          </select>
          {rule.paths.length > 1 && !disabled && (
            <button type="button" className="text-xs text-slate-500 hover:text-red-700" onClick={() => set(rule.paths.filter((_, j) => j !== i))} aria-label={`Remove JSON path ${i + 1}`}>
              Remove
            </button>
          )}
        </div>
      ))}
      {!disabled && (
        <button type="button" className="text-xs font-medium text-brand-700 hover:underline" onClick={() => set([...rule.paths, { path: "$.", apply: { rule: "null" } }])}>
          + Add a path
        </button>
      )}
    </div>
  );
}
