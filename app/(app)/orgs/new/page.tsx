import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Logo } from "@/app/_components/logo";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { listUserOrgs } from "@/lib/server/services/orgs/list-user-orgs";
import { getSessionUser } from "@/lib/server/session";
import { CreateOrgForm } from "./create-org-form";

export const metadata: Metadata = { title: "New organisation" };

export default async function NewOrgPage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=%2Forgs%2Fnew");
  // Someone who signed up from an invite has no organisation until they accept it.
  const none = (await listUserOrgs({ userId: user.id })).length === 0;
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <Link href="/" className="mb-8">
        <Logo className="text-xl" />
      </Link>
      <div className="w-full max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-xl font-semibold text-slate-900">Create an organisation</h1>
        <p className="mt-1 text-sm text-slate-500">Organisations hold connections, workflows and members. You&apos;ll be its owner.</p>
        {none && (
          <p className="mt-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200 ring-inset" data-testid="no-org-yet">
            Joining a team? Open the invite link from your email to accept it. Or create an organisation of your own here.
          </p>
        )}
        <div className="mt-6">
          <CreateOrgForm canCancel={!none} />
        </div>
      </div>
      <div className="mt-6 flex flex-wrap items-center justify-center gap-2 text-sm text-slate-500">
        <span>
          Signed in as <span className="font-medium text-slate-700" data-testid="user-email">{user.email}</span>
        </span>
        <SignOutButton />
      </div>
    </main>
  );
}
