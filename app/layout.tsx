import type { Metadata } from "next";
import localFont from "next/font/local";
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

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
