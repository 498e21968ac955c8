"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { controlClass, Field, Input } from "@/app/_components/field";
import { useToast } from "@/app/_components/toast";
import { useAction } from "@/app/_components/use-action";
import { parseCustomizationStatement } from "@/lib/pipeline/customization-sql";
import { CUSTOMIZATION_PARAM_TYPES, type TCustomization, type TCustomizationParam } from "@/lib/schemas/workflow";
import { deleteCustomizationAction, saveCustomizationAction } from "./actions";

// The admin's editor for one customization: a name, one SQL statement with %(name)s
// parameters, and per parameter a label, a type and help text. Parameters found in the
// statement are added as you type; the server checks the statement with the engine's parser.

const TYPE_LABELS: Record<TCustomizationParam["type"], string> = { text: "Text", number: "Number", url: "URL", date: "Date", boolean: "Yes / no" };

const humanize = (name: string) => {
  const s = name.replace(/_/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
};

function detect(statement: string): string[] {
  try {
    return parseCustomizationStatement(statement).params;
  } catch {
    return [];
  }
}

type Errors = Record<string, string[] | undefined>;

export function CustomizationForm({ orgSlug, workflowId, initial, onDone }: { orgSlug: string; workflowId: string; initial?: TCustomization; onDone?: () => void }) {
  const router = useRouter();
  const [name, setName] = useState(initial?.name ?? "");
  const [statement, setStatement] = useState(initial?.statement ?? "");
  const [params, setParams] = useState<TCustomizationParam[]>(initial?.params ?? []);
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string>();
  const [pending, start] = useTransition();
  const toast = useToast();

  const onStatement = (value: string) => {
    setStatement(value);
    const found = detect(value).filter((n) => !params.some((p) => p.name === n));
    if (found.length) setParams((ps) => [...ps, ...found.map((n) => ({ name: n, label: humanize(n), type: "text" as const }))]);
  };
  const used = detect(statement);
  const setParam = (i: number, patch: Partial<TCustomizationParam>) => setParams((ps) => ps.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  const save = () =>
    start(async () => {
      setMessage(undefined);
      const res = await saveCustomizationAction(orgSlug, { workflowId, originalName: initial?.name, name, statement, params });
      if (!res.ok) {
        setErrors(res.error.fieldErrors ?? {});
        if (!res.error.fieldErrors || Object.keys(res.error.fieldErrors).length === 0) setMessage(res.error.message);
        return;
      }
      setErrors({});
      toast(initial ? `Customization “${name}” saved.` : `Customization “${name}” added.`);
      if (!initial) {
        setName("");
        setStatement("");
        setParams([]);
      }
      onDone?.();
      router.refresh();
    });

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      noValidate
      aria-label={initial ? `Edit ${initial.name}` : "New customization"}
    >
      <Input label="Name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Prospect's company" error={errors.name} hint="What the salesperson sees as the heading of this group of values." />
      <Field
        label="SQL statement"
        error={errors.statement}
        hint={
          <>
            One statement, run on the twin after each load. Use <code className="rounded bg-slate-100 px-1">%(name)s</code> (or <code className="rounded bg-slate-100 px-1">:name</code>) where a value goes; values are sent as bind parameters, never pasted into the SQL.
          </>
        }
      >
        {(p) => (
          <textarea
            {...p}
            rows={4}
            spellCheck={false}
            value={statement}
            onChange={(e) => onStatement(e.target.value)}
            placeholder="UPDATE companies SET name = %(company_name)s WHERE id = 1"
            className={`${p.className} font-mono text-xs`}
          />
        )}
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Parameters</legend>
        {params.length === 0 ? (
          <p className="text-sm text-slate-500">Parameters appear here when the statement uses them.</p>
        ) : (
          <div className="space-y-3">
            {params.map((p, i) => (
              <div key={p.name} className="grid gap-2 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200 sm:grid-cols-[10rem_1fr_9rem_1.4fr_auto] sm:items-center" data-testid="param-row" data-param={p.name}>
                <code className="truncate text-xs text-slate-700" title={p.name}>
                  %({p.name})s{!used.includes(p.name) && <span className="ml-1 font-sans text-amber-700">(unused)</span>}
                </code>
                <input aria-label={`Label of ${p.name}`} className={controlClass} value={p.label} onChange={(e) => setParam(i, { label: e.target.value })} />
                <select aria-label={`Type of ${p.name}`} className={controlClass} value={p.type} onChange={(e) => setParam(i, { type: e.target.value as TCustomizationParam["type"] })}>
                  {CUSTOMIZATION_PARAM_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {TYPE_LABELS[t]}
                    </option>
                  ))}
                </select>
                <input aria-label={`Help text of ${p.name}`} placeholder="Help text (optional)" className={controlClass} value={p.help ?? ""} onChange={(e) => setParam(i, { help: e.target.value || undefined })} />
                <Button type="button" variant="ghost" size="sm" aria-label={`Remove parameter ${p.name}`} onClick={() => setParams((ps) => ps.filter((_, j) => j !== i))}>
                  Remove
                </Button>
              </div>
            ))}
          </div>
        )}
        {errors.params?.[0] && (
          <p className="text-sm text-red-700" role="alert">
            {errors.params[0]}
          </p>
        )}
      </fieldset>
      {message && <Alert tone="error">{message}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" pending={pending}>
          {initial ? "Save changes" : "Add customization"}
        </Button>
        {onDone && initial && (
          <Button type="button" variant="ghost" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

export function CustomizationActions({ orgSlug, workflowId, customization }: { orgSlug: string; workflowId: string; customization: TCustomization }) {
  const [editing, setEditing] = useState(false);
  const { run, pending, error } = useAction();
  if (editing) {
    return (
      <div className="border-t border-slate-200 px-5 py-4">
        <CustomizationForm orgSlug={orgSlug} workflowId={workflowId} initial={customization} onDone={() => setEditing(false)} />
      </div>
    );
  }
  return (
    <div className="flex items-center justify-end gap-2 border-t border-slate-100 px-5 py-2">
      {error && (
        <p className="mr-auto text-xs text-red-700" role="alert">
          {error}
        </p>
      )}
      <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
        Edit
      </Button>
      <Button
        variant="ghost"
        size="sm"
        className="text-red-700 hover:bg-red-50"
        pending={pending}
        onClick={() => {
          if (!confirm(`Delete the customization "${customization.name}"? Runs after this will not apply it.`)) return;
          run(() => deleteCustomizationAction(orgSlug, { workflowId, name: customization.name }), { success: `Customization “${customization.name}” deleted.` });
        }}
      >
        Delete
      </Button>
    </div>
  );
}
