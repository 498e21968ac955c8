import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardHeader } from "@/app/_components/card";
import { PageHeader } from "@/app/_components/page-header";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { ConnectionForm } from "../connection-form";

export const metadata: Metadata = { title: "New connection" };

export default async function NewConnectionPage({ params, searchParams }: { params: Promise<{ orgSlug: string }>; searchParams: Promise<{ kind?: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "connection", "create");
  const kind = (await searchParams).kind === "S3" ? "S3" : "POSTGRES";
  const base = `/${ctx.org.slug}/connections`;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={base} className="text-slate-500 hover:text-slate-900">
          ← Connections
        </Link>
      </p>
      <PageHeader
        title={kind === "POSTGRES" ? "Add a PostgreSQL database" : "Add an S3 bucket"}
        description={kind === "POSTGRES" ? "A database to copy from (a source) or to write the twin into (a target)." : "A bucket that receives CSV exports of the redacted tables."}
      />
      <div className="mb-4 flex gap-2 text-sm" role="group" aria-label="Connection type">
        <Link href={`${base}/new?kind=POSTGRES`} aria-current={kind === "POSTGRES" ? "page" : undefined} className={tab(kind === "POSTGRES")}>
          PostgreSQL
        </Link>
        <Link href={`${base}/new?kind=S3`} aria-current={kind === "S3" ? "page" : undefined} className={tab(kind === "S3")}>
          S3 bucket
        </Link>
      </div>
      <Card className="max-w-2xl">
        <CardHeader title="Settings" />
        <ConnectionForm key={kind} orgSlug={ctx.org.slug} kind={kind} />
      </Card>
    </>
  );
}

const tab = (active: boolean) =>
  `rounded-md px-3 py-1.5 font-medium ${active ? "bg-brand-50 text-brand-700 ring-1 ring-brand-200" : "text-slate-600 hover:bg-slate-100"}`;
