import Link from "next/link";
import { Logo } from "../_components/logo";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-gradient-to-b from-slate-50 to-slate-100 px-4 py-12">
      <Link href="/" className="mb-8" aria-label="Doppel home">
        <Logo className="text-xl" />
      </Link>
      <div className="w-full max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">{children}</div>
      <p className="mt-6 text-center text-xs text-slate-500">PII-free digital twins of your production PostgreSQL.</p>
    </main>
  );
}
