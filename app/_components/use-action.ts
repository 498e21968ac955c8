"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useToast } from "./toast";

// Runs a server action from a button: pending while it runs, the refusal kept as `error` (shown
// inline beside the object), and on success a toast (`success`) and then `then(data)`, by
// default a refresh of the page's server data. The one place buttons get their toasts from.

// The shape every server action returns (lib/server/errors' ActionResult), kept structural here.
type ActionError = { code: string; message: string; fieldErrors?: Record<string, string[] | undefined> };
type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

type Options<T> = {
  /** The toast after success; a function may return undefined for none. */
  success?: string | ((data: T) => string | undefined);
  /** After success (default: router.refresh()). */
  then?: (data: T) => void;
  /** Instead of keeping the error message (e.g. to link to where it is fixed). */
  onError?: (error: ActionError) => void;
};

export function useAction() {
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  function run<T>(fn: () => Promise<ActionResult<T>>, opts: Options<T> = {}) {
    start(async () => {
      setError(undefined);
      const res = await fn();
      if (!res.ok) {
        if (opts.onError) opts.onError(res.error);
        else setError(res.error.message);
        return;
      }
      const message = typeof opts.success === "function" ? opts.success(res.data) : opts.success;
      if (message) toast(message);
      if (opts.then) opts.then(res.data);
      else router.refresh();
    });
  }
  return { run, pending, error };
}
