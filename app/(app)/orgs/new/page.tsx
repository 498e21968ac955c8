import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Logo } from "@/app/_components/logo";
import { getSessionUser } from "@/lib/server/session";
import { CreateOrgForm } from "./create-org-form";

export const metadata: Metadata = { title: "New organisation" };

export default async function NewOrgPage() {
  if (!(await getSessionUser())) redirect("/sign-in?callbackUrl=%2Forgs%2Fnew");
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <Link href="/" className="mb-8">
        <Logo className="text-xl" />
      </Link>
      <div className="w-full max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-xl font-semibold text-slate-900">Create an organisation</h1>
        <p className="mt-1 text-sm text-slate-500">Organisations hold connections, workflows and members. You&apos;ll be its owner.</p>
        <div className="mt-6">
          <CreateOrgForm />
        </div>
      </div>
    </main>
  );
}
