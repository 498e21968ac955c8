import type { Metadata } from "next";
import localFont from "next/font/local";
import { connection } from "next/server";
import { ToastProvider } from "./_components/toast";
import "./globals.css";

// Inter from @fontsource-variable (bundled at build time; no network needed).
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "Doppel", template: "%s · Doppel" },
  description: "PII-free digital twins of production PostgreSQL databases.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: the CSP nonce (proxy.ts) is new on each one, and a page
  // prerendered at build time would carry scripts without it, which the browser then refuses.
  await connection();
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans">
        <ToastProvider>{children}</ToastProvider>
      </body>
    </html>
  );
}
