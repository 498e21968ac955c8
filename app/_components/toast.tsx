"use client";

import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { Icon } from "./icons";

// Toasts: the confirmation of an action that completed where the person is (saved, sent,
// revoked, started). Errors are not toasts: they stay inline beside the object. One live region
// (role="status", polite) that exists before the first toast, so screen readers announce each one
// (bottom right; on a phone at the top, clear of the sticky save bars);
// a toast hides after a few seconds unless hovered or focused, and has a dismiss button.
// A toast for a full page load (window.location) is kept in sessionStorage and shown after it.

const HIDE_AFTER_MS = 5000;
const STORAGE_KEY = "doppel:toast";

type Toast = { id: number; message: string };
type Notify = (message: string) => void;

const ToastContext = createContext<Notify>(() => undefined);

/** Shows a confirmation toast: `const toast = useToast(); toast("Invite sent.")`. */
export const useToast = () => useContext(ToastContext);

/** Before a full page load (window.location.assign / reload): the next page shows this toast. */
export function toastAfterReload(message: string) {
  try {
    sessionStorage.setItem(STORAGE_KEY, message);
  } catch {
    // storage disabled: the confirmation is lost, the action itself is done
  }
}

export function ToastProvider({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(0);
  const notify = useCallback<Notify>((message) => {
    const id = ++nextId.current;
    // The same message again replaces the shown one (and restarts its timer); at most three at a time.
    setToasts((ts) => [...ts.filter((t) => t.message !== message), { id, message }].slice(-3));
  }, []);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  useEffect(() => {
    let saved: string | null;
    try {
      saved = sessionStorage.getItem(STORAGE_KEY);
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      return;
    }
    if (saved) notify(saved);
  }, [notify]);
  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div aria-label="Notifications" role="region" className="pointer-events-none fixed inset-x-0 top-0 z-50 flex justify-center p-4 sm:top-auto sm:bottom-0 sm:justify-end">
        <ol role="status" aria-live="polite" className="flex w-full max-w-sm flex-col gap-2">
          {toasts.map((t) => (
            <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
          ))}
        </ol>
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const timer = setTimeout(() => onDismiss(toast.id), HIDE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [paused, toast.id, onDismiss]);
  return (
    <li
      data-testid="toast"
      className="pointer-events-auto flex items-start gap-3 rounded-lg bg-slate-900 px-4 py-3 text-sm text-white shadow-lg ring-1 ring-slate-900/10"
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <Icon name="check" className="mt-0.5 size-4 shrink-0 text-emerald-400" />
      <p className="min-w-0 flex-1 break-words">{toast.message}</p>
      <button type="button" aria-label="Dismiss notification" onClick={() => onDismiss(toast.id)} className="-m-1 shrink-0 rounded p-1 text-slate-400 hover:bg-white/10 hover:text-white focus-visible:outline-2 focus-visible:outline-white">
        <Icon name="x" className="size-4" />
      </button>
    </li>
  );
}
