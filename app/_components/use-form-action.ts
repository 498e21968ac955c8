"use client";

import { useActionState } from "react";
import { useToast } from "./toast";

// Runs a server action from a <form>: turns FormData into a plain object and keeps the typed
// result (for field errors) and the submitted values (React resets uncontrolled fields after
// an action; inputs use `defaultValue={state.values.x}` to keep what the user typed). `success`
// is the toast shown when the action succeeds (a function may return undefined for none).

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fieldErrors?: Record<string, string[] | undefined> } };

export type FormState<T> = { result: FormResult<T> | null; values: Record<string, string> };

export function formToObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
  return out;
}

export function useFormAction<T>(
  run: (input: Record<string, string>) => Promise<FormResult<T>>,
  onSuccess?: (data: T, values: Record<string, string>) => void | Promise<void>,
  success?: string | ((data: T, values: Record<string, string>) => string | undefined),
) {
  const toast = useToast();
  return useActionState<FormState<T>, FormData>(
    async (_prev, form) => {
      const values = formToObject(form);
      const result = await run(values);
      if (result.ok) {
        const message = typeof success === "function" ? success(result.data, values) : success;
        if (message) toast(message);
        await onSuccess?.(result.data, values);
      }
      return { result, values };
    },
    { result: null, values: {} },
  );
}

export function fieldError(state: FormState<unknown>, name: string): string | undefined {
  const r = state.result;
  return r && !r.ok ? r.error.fieldErrors?.[name]?.[0] : undefined;
}

/** The form-level message: shown when the error is not attached to a field. */
export function formError(state: FormState<unknown>): string | undefined {
  const r = state.result;
  if (!r || r.ok) return undefined;
  return r.error.fieldErrors && Object.keys(r.error.fieldErrors).length > 0 ? undefined : r.error.message;
}
