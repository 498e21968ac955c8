"use client";

import { Alert } from "@/app/_components/alert";
import { Button, ButtonLink } from "@/app/_components/button";
import { Input } from "@/app/_components/field";
import { fieldError, formError, useFormAction } from "@/app/_components/use-form-action";
import { createOrgAction } from "./actions";

export function CreateOrgForm() {
  const [state, formAction, pending] = useFormAction(
    (input) => createOrgAction({ name: input.name ?? "" }),
    (data) => window.location.assign(`/${data.orgSlug}`),
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
        <ButtonLink href="/" variant="ghost">
          Cancel
        </ButtonLink>
      </div>
    </form>
  );
}
