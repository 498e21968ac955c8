export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight text-slate-900 ${className}`}>
      <svg viewBox="0 0 24 24" className="size-6" aria-hidden>
        <rect x="2" y="4" width="13" height="16" rx="3" className="fill-brand-600" />
        <rect x="9" y="4" width="13" height="16" rx="3" className="fill-brand-500/40" />
      </svg>
      Doppel
    </span>
  );
}
