import { cx } from "./cx";

// Loading placeholders shaped like the page that is coming: a page header, cards with table
// rows or form fields. One announcement for the whole placeholder (role="status"); the blocks
// themselves are hidden from screen readers. Pages put them in a <Suspense fallback> after
// their permission and existence checks, or in a loading.tsx below the layout that makes them,
// so that a refused or missing page still answers 404 (a streamed page is committed to 200).

export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cx("animate-pulse rounded-md bg-slate-200/80", className)} />;
}

/** The whole placeholder: an announced "Loading" with the page header's shape. */
export function PageSkeleton({ label, actions = false, children }: { label: string; actions?: boolean; children: React.ReactNode }) {
  return (
    <div role="status" aria-label={label} data-testid="page-skeleton">
      <span className="sr-only">{label}</span>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="space-y-2">
          <Skeleton className="h-7 w-48" />
          <Skeleton className="h-4 w-72 max-w-[70vw]" />
        </div>
        {actions && <Skeleton className="h-10 w-32" />}
      </div>
      <div className="space-y-6">{children}</div>
    </div>
  );
}

/** A card with a header and `rows` table rows of `cols` cells. */
export function TableCardSkeleton({ rows = 5, cols = 4, header = true }: { rows?: number; cols?: number; header?: boolean }) {
  return (
    <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      {header && (
        <div className="space-y-2 border-b border-slate-200 px-5 py-4">
          <Skeleton className="h-5 w-40" />
          <Skeleton className="h-4 w-64 max-w-full" />
        </div>
      )}
      <div className="divide-y divide-slate-100">
        {Array.from({ length: rows }, (_, r) => (
          <div key={r} className="flex items-center gap-6 px-5 py-3.5">
            {Array.from({ length: cols }, (_, c) => (
              <Skeleton key={c} className={cx("h-4", c === 0 ? "w-40 flex-none" : "hidden flex-1 sm:block", c === cols - 1 && "sm:max-w-24")} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

/** A card with a header and `fields` labelled inputs (settings, forms). */
export function FormCardSkeleton({ fields = 2 }: { fields?: number }) {
  return (
    <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <div className="space-y-2 border-b border-slate-200 px-5 py-4">
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-4 w-72 max-w-full" />
      </div>
      <div className="space-y-5 px-5 py-5">
        {Array.from({ length: fields }, (_, i) => (
          <div key={i} className="space-y-2">
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-10 w-full max-w-sm" />
          </div>
        ))}
        <Skeleton className="h-10 w-24" />
      </div>
    </div>
  );
}
