import type { Metadata } from "next";
import { ButtonLink } from "@/app/_components/button";
import { appOrigin } from "@/lib/server/request-info";
import { sameOriginPath } from "@/lib/server/safe-redirect";
import { findEmailVerification } from "@/lib/server/services/auth/verify-email";
import { ConfirmEmailButton } from "./confirm-email";

export const metadata: Metadata = { title: "Confirm your email" };

// Opening the link only shows it; the button confirms. Mail scanners that fetch links would
// otherwise use up the single-use token before the person clicks.
export default async function VerifyEmailPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ next?: string }> }) {
  const { token } = await params;
  const { next } = await searchParams;
  const target = sameOriginPath(typeof next === "string" ? next : undefined, await appOrigin());
  const pending = await findEmailVerification({ token });
  if (!pending) {
    return (
      <div className="text-center" data-testid="verify-dead-end">
        <h1 className="text-xl font-semibold text-slate-900">This verification link is not valid</h1>
        <p className="mt-2 text-sm text-slate-500">
          It was already used, replaced by a newer link, or it expired (links work for 24 hours). Sign in and send a new one from the invite page.
        </p>
        <ButtonLink href="/sign-in" variant="secondary" className="mt-6">
          Go to sign in
        </ButtonLink>
      </div>
    );
  }
  return (
    <div>
      <h1 className="text-xl font-semibold text-slate-900">Confirm your email address</h1>
      <p className="mt-2 text-sm text-slate-600">
        Confirm that <strong className="text-slate-800">{pending.email}</strong> is your address. Invites to organisations can only be accepted by confirmed
        addresses.
      </p>
      <div className="mt-6">
        <ConfirmEmailButton token={token} next={target} />
      </div>
    </div>
  );
}
