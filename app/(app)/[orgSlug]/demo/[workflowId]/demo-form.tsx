"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { Input } from "@/app/_components/field";
import { Icon } from "@/app/_components/icons";
import { useToast } from "@/app/_components/toast";
import type { TCustomizationParam } from "@/lib/schemas/workflow";
import { resetDemoAction, saveDemoValuesAction } from "../actions";

// "Next demo": one typed input per parameter (never SQL, never connection settings), Save
// values, and Reset demo now (save, queue a run, open its progress page).

type Value = string | boolean;
const INPUT_TYPES: Record<TCustomizationParam["type"], string> = { text: "text", number: "number", url: "url", date: "date", boolean: "checkbox" };

export function DemoForm({ orgSlug, workflowId, params, values: initial, canRun, canEdit }: { orgSlug: string; workflowId: string; params: TCustomizationParam[]; values: Record<string, Value>; canRun: boolean; canEdit: boolean }) {
  const router = useRouter();
  const [values, setValues] = useState<Record<string, Value>>(() => Object.fromEntries(params.map((p) => [p.name, initial[p.name] ?? (p.type === "boolean" ? false : "")])));
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  const [message, setMessage] = useState<string>();
  const toast = useToast();
  const [pending, start] = useTransition();
  const [which, setWhich] = useState<"save" | "reset">();

  const submit = (mode: "save" | "reset") =>
    start(async () => {
      setWhich(mode);
      setMessage(undefined);
      const res = mode === "save" ? await saveDemoValuesAction(orgSlug, { workflowId, values }) : await resetDemoAction(orgSlug, { workflowId, values });
      if (!res.ok) {
        setErrors(res.error.fieldErrors ?? {});
        setMessage(res.error.message);
        return;
      }
      setErrors({});
      if (mode === "reset" && res.data) {
        toast("Demo reset started.");
        router.push(`/${orgSlug}/jobs/${res.data.jobId}`);
      } else toast("Saved. The next reset uses these values.");
    });

  return (
    <form
      className="space-y-5"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit("reset");
      }}
    >
      {params.map((p) =>
        p.type === "boolean" ? (
          <label key={p.name} className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 size-4 rounded border-slate-300 text-brand-600"
              checked={values[p.name] === true}
              disabled={!canEdit}
              onChange={(e) => setValues((v) => ({ ...v, [p.name]: e.target.checked }))}
            />
            <span>
              <span className="font-medium text-slate-800">{p.label}</span>
              {p.help && <span className="block text-slate-500">{p.help}</span>}
            </span>
          </label>
        ) : (
          <Input
            key={p.name}
            label={p.label}
            name={p.name}
            type={INPUT_TYPES[p.type]}
            inputMode={p.type === "number" ? "decimal" : undefined}
            placeholder={p.type === "url" ? "https://" : undefined}
            value={String(values[p.name] ?? "")}
            readOnly={!canEdit}
            onChange={(e) => setValues((v) => ({ ...v, [p.name]: e.target.value }))}
            hint={p.help}
            error={errors[p.name]}
          />
        ),
      )}
      {message && <Alert tone="error">{message}</Alert>}
      {canEdit && (
        <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-5">
          {canRun && (
            <Button type="submit" pending={pending && which === "reset"} disabled={pending}>
              <Icon name="play" />
              Reset demo now
            </Button>
          )}
          <Button type="button" variant="secondary" pending={pending && which === "save"} disabled={pending} onClick={() => submit("save")}>
            Save values
          </Button>
        </div>
      )}
    </form>
  );
}
