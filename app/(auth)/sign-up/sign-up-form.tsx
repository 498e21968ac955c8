"use client";

import { signIn } from "next-auth/react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { Input } from "@/app/_components/field";
import { fieldError, formError, useFormAction } from "@/app/_components/use-form-action";
import { PASSWORD_POLICY_TEXT } from "@/lib/schemas/auth";
import { signUpAction } from "./actions";

export function SignUpForm({ inviteToken, invitedEmail }: { inviteToken?: string; invitedEmail?: string }) {
  const [state, formAction, pending] = useFormAction(
    (input) => signUpAction({ name: input.name ?? "", email: input.email ?? "", password: input.password ?? "", confirmPassword: input.confirmPassword ?? "", inviteToken }),
    async (data, values) => {
      const res = await signIn("credentials", { email: values.email, password: values.password, redirect: false });
      // From an invite (no personal organisation was made): back to its page, which asks to
      // confirm the address and then to accept.
      const next = inviteToken ? `/invite/${encodeURIComponent(inviteToken)}` : data.orgSlug ? `/${data.orgSlug}` : "/";
      window.location.assign(res?.ok ? next : "/sign-in");
    },
  );
  const message = formError(state);
  const v = state.values;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {message && <Alert tone="error">{message}</Alert>}
      <Input label="Your name" name="name" autoComplete="name" required defaultValue={v.name} error={fieldError(state, "name")} />
      {invitedEmail ? (
        <Input label="Email" name="email" type="email" value={invitedEmail} readOnly hint="Invites are tied to this address." />
      ) : (
        <Input label="Work email" name="email" type="email" autoComplete="email" required defaultValue={v.email} error={fieldError(state, "email")} />
      )}
      <Input label="Password" name="password" type="password" autoComplete="new-password" required error={fieldError(state, "password")} hint={PASSWORD_POLICY_TEXT} />
      <Input label="Confirm password" name="confirmPassword" type="password" autoComplete="new-password" required error={fieldError(state, "confirmPassword")} />
      <Button type="submit" className="w-full" pending={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
