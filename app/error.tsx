"use client";

import { Button } from "./_components/button";

// Shown for unexpected server errors. Next.js hides the message in production; the digest
// matches the server log entry.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center px-4 text-center">
      <h1 className="text-2xl font-semibold text-slate-900">Something went wrong</h1>
      <p className="mt-2 max-w-md text-sm text-slate-500">
        We couldn&apos;t load this page. Try again; if it keeps happening, tell your administrator
        {error.digest ? ` and quote reference ${error.digest}` : ""}.
      </p>
      <Button variant="secondary" className="mt-6" onClick={reset}>
        Try again
      </Button>
    </main>
  );
}
