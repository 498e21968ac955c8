"use client";

// Last-resort error page (the root layout itself failed). Plain markup: no app styles load here.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", display: "grid", placeItems: "center", minHeight: "100vh", margin: 0, color: "#0f172a" }}>
        <main style={{ textAlign: "center", maxWidth: 420, padding: 24 }}>
          <h1 style={{ fontSize: 22, fontWeight: 600 }}>Doppel could not load</h1>
          <p style={{ color: "#64748b", fontSize: 14 }}>
            Try again in a moment. If it keeps happening, tell your administrator{error.digest ? ` and quote reference ${error.digest}` : ""}.
          </p>
          <button onClick={reset} style={{ marginTop: 16, padding: "8px 16px", borderRadius: 6, border: "1px solid #cbd5e1", background: "white", cursor: "pointer" }}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
