import { cx } from "./cx";

export function Card({ className, children }: { className?: string; children: React.ReactNode }) {
  return <section className={cx("rounded-lg bg-white shadow-sm ring-1 ring-slate-200", className)}>{children}</section>;
}

export function CardHeader({ title, description, actions }: { title: string; description?: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 px-5 py-4">
      <div className="min-w-0 break-words">
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        {description && <p className="mt-1 text-sm text-slate-500">{description}</p>}
      </div>
      {actions}
    </div>
  );
}

export function CardBody({ className, children }: { className?: string; children: React.ReactNode }) {
  return <div className={cx("px-5 py-4", className)}>{children}</div>;
}
