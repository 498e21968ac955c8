"use client";

import { Alert } from "@/app/_components/alert";
import { Button, ButtonLink } from "@/app/_components/button";
import { Input } from "@/app/_components/field";
import { toastAfterReload } from "@/app/_components/toast";
import { fieldError, formError, useFormAction } from "@/app/_components/use-form-action";
import { createOrgAction } from "./actions";

/** `canCancel`: the user has an organisation to go back to ("/" opens it; without one it comes back here). */
export function CreateOrgForm({ canCancel }: { canCancel: boolean }) {
  const [state, formAction, pending] = useFormAction(
    (input) => createOrgAction({ name: input.name ?? "" }),
    (data, values) => {
      toastAfterReload(`Organisation “${values.name?.trim()}” created.`);
      window.location.assign(`/${data.orgSlug}`);
    },
  );
  const message = formError(state);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {message && <Alert tone="error">{message}</Alert>}
      <Input label="Organisation name" name="name" required defaultValue={state.values.name} error={fieldError(state, "name")} placeholder="Acme Data Team" />
      <div className="flex gap-3">
        <Button type="submit" pending={pending}>
          Create organisation
        </Button>
        {canCancel && (
          <ButtonLink href="/" variant="ghost">
            Cancel
          </ButtonLink>
        )}
      </div>
    </form>
  );
}
