import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { appOrigin } from "@/lib/server/request-info";
import { sameOriginPath } from "@/lib/server/safe-redirect";
import { getSessionUser } from "@/lib/server/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  // Only same-site paths are followed after sign-in.
  const target = sameOriginPath(typeof callbackUrl === "string" ? callbackUrl : undefined, await appOrigin());
  if (await getSessionUser()) redirect(target);
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Sign in to Doppel</h1>
      <p className="mt-1 text-sm text-slate-500">Welcome back.</p>
      <div className="mt-6">
        <SignInForm callbackUrl={target} initialError={error ? "Email or password is incorrect." : undefined} />
      </div>
      <p className="mt-6 text-center text-sm text-slate-500">
        New to Doppel?{" "}
        <Link href="/sign-up" className="font-medium text-brand-600 hover:underline">
          Create an account
        </Link>
      </p>
    </>
  );
}
