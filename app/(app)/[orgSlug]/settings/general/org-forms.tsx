"use client";

import { useRouter } from "next/navigation";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { Input } from "@/app/_components/field";
import { fieldError, formError, useFormAction } from "@/app/_components/use-form-action";
import { deleteOrgAction, renameOrgAction } from "./actions";

export function RenameOrgForm({ orgSlug, name }: { orgSlug: string; name: string }) {
  const router = useRouter();
  const [state, formAction, pending] = useFormAction((input) => renameOrgAction(orgSlug, { name: input.name ?? "" }), () => router.refresh());
  const message = formError(state);
  return (
    <form action={formAction} className="flex flex-wrap items-start gap-3 px-5 py-4" noValidate>
      <div className="w-full max-w-sm">
        <Input label="Organisation name" name="name" required defaultValue={state.values.name ?? name} error={fieldError(state, "name")} />
      </div>
      <Button type="submit" pending={pending} className="sm:mt-7">
        Save
      </Button>
      <div className="w-full">
        {message && <Alert tone="error">{message}</Alert>}
        {state.result?.ok && <Alert tone="success">Saved.</Alert>}
      </div>
    </form>
  );
}

export function DeleteOrgForm({ orgSlug }: { orgSlug: string }) {
  const [state, formAction, pending] = useFormAction(
    (input) => deleteOrgAction(orgSlug, { confirmSlug: input.confirmSlug ?? "" }),
    () => window.location.assign("/"),
  );
  const message = formError(state);
  return (
    <form action={formAction} className="space-y-4 px-5 py-4" noValidate>
      {message && <Alert tone="error">{message}</Alert>}
      <div className="max-w-sm">
        <Input label={`Type “${orgSlug}” to confirm`} name="confirmSlug" autoComplete="off" error={fieldError(state, "confirmSlug")} />
      </div>
      <Button type="submit" variant="danger" pending={pending}>
        Delete organisation
      </Button>
    </form>
  );
}
