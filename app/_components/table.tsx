import { cx } from "./cx";

// Tables. A `stack` table collapses below the sm breakpoint into one block per row: the header
// row is hidden, each cell with a `label` shows it beside its value, and a cell without one (the
// row's name, its buttons) takes the block's width (`max-sm:order-first` lifts a name to the top).
// Other tables scroll sideways inside their own box on a phone.

const STACK =
  "max-sm:block max-sm:[&>thead]:hidden max-sm:[&>tbody]:block max-sm:[&>tbody>tr]:flex max-sm:[&>tbody>tr]:flex-col max-sm:[&>tbody>tr]:px-5 max-sm:[&>tbody>tr]:py-3 max-sm:[&>tbody>tr>td]:block max-sm:[&>tbody>tr>td]:px-0 max-sm:[&>tbody>tr>td]:py-1";

export function Table({ caption, stack = false, children }: { caption?: string; stack?: boolean; children: React.ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className={cx("min-w-full divide-y divide-slate-200 text-sm", stack && STACK)} data-stack={stack || undefined}>
        {caption && <caption className="sr-only">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

export function Th({ children, className }: { children?: React.ReactNode; className?: string }) {
  return (
    <th scope="col" className={cx("px-5 py-2.5 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase", className)}>
      {children}
    </th>
  );
}

/** `label`: the column's name, shown beside the value when a `stack` table collapses on a phone. */
export function Td({ children, className, label }: { children?: React.ReactNode; className?: string; label?: string }) {
  return (
    <td className={cx("px-5 py-3 align-middle text-slate-700", className)}>
      {label ? (
        <div className="max-sm:flex max-sm:items-baseline max-sm:justify-between max-sm:gap-4">
          <span className="shrink-0 font-sans text-xs font-medium tracking-wide text-slate-500 uppercase sm:hidden">{label}</span>
          <div className="max-sm:min-w-0 max-sm:text-right max-sm:[overflow-wrap:anywhere]">{children}</div>
        </div>
      ) : (
        children
      )}
    </td>
  );
}

export function TBody({ children }: { children: React.ReactNode }) {
  return <tbody className="divide-y divide-slate-100 bg-white">{children}</tbody>;
}

export function THead({ children }: { children: React.ReactNode }) {
  return (
    <thead className="bg-slate-50">
      <tr>{children}</tr>
    </thead>
  );
}
