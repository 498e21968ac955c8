import { useId } from "react";
import { cx } from "./cx";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 focus:outline-none disabled:bg-slate-100 disabled:text-slate-500 read-only:bg-slate-50";

type FieldProps = {
  label: string;
  error?: string | string[];
  hint?: React.ReactNode;
  children: (props: { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string; className: string }) => React.ReactNode;
};

/** A label, a control, and the error (or hint) text tied to it for screen readers. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const message = Array.isArray(error) ? error[0] : error;
  const describedBy = message ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, "aria-invalid": message ? true : undefined, "aria-describedby": describedBy, className: cx(control, message && "ring-red-400 focus:ring-red-500") })}
      {message ? (
        <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
          {message}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type InputProps = React.InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | string[]; hint?: React.ReactNode };

export function Input({ label, error, hint, className, ...rest }: InputProps) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(p) => <input {...rest} {...p} className={cx(p.className, className)} />}
    </Field>
  );
}

type SelectProps = React.SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string | string[]; hint?: React.ReactNode };

export function Select({ label, error, hint, className, children, ...rest }: SelectProps) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(p) => (
        <select {...rest} {...p} className={cx(p.className, "pr-8", className)}>
          {children}
        </select>
      )}
    </Field>
  );
}

export const controlClass = control;
