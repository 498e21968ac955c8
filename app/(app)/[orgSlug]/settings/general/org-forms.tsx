"use client";

import { useRouter } from "next/navigation";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { Input } from "@/app/_components/field";
import { toastAfterReload } from "@/app/_components/toast";
import { fieldError, formError, useFormAction } from "@/app/_components/use-form-action";
import { UNREVIEWED_COLUMNS_LABELS, UNREVIEWED_COLUMNS_POLICIES } from "@/lib/schemas/org";
import { deleteOrgAction, renameOrgAction, setUnreviewedColumnsAction } from "./actions";

export function RenameOrgForm({ orgSlug, name }: { orgSlug: string; name: string }) {
  const router = useRouter();
  const [state, formAction, pending] = useFormAction((input) => renameOrgAction(orgSlug, { name: input.name ?? "" }), () => router.refresh(), "Organisation name saved.");
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
      </div>
    </form>
  );
}

export function DeleteOrgForm({ orgSlug }: { orgSlug: string }) {
  const [state, formAction, pending] = useFormAction(
    (input) => deleteOrgAction(orgSlug, { confirmSlug: input.confirmSlug ?? "" }),
    () => {
      toastAfterReload(`Organisation “${orgSlug}” deleted.`);
      window.location.assign("/");
    },
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

/** New columns in the source: stop the run (default) or copy them as NULL. Never "copy raw". */
export function UnreviewedColumnsForm({ orgSlug, policy }: { orgSlug: string; policy: (typeof UNREVIEWED_COLUMNS_POLICIES)[number] }) {
  const router = useRouter();
  const [state, formAction, pending] = useFormAction(
    (input) => setUnreviewedColumnsAction(orgSlug, { policy: (input.policy ?? "") as (typeof UNREVIEWED_COLUMNS_POLICIES)[number] }),
    () => router.refresh(),
    "Saved: the next run uses it.",
  );
  const message = formError(state);
  const current = state.values.policy ?? policy;
  return (
    <form action={formAction} className="space-y-3 px-5 py-4" noValidate>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">New columns in the source</legend>
        {UNREVIEWED_COLUMNS_POLICIES.map((p) => (
          <label key={p} className="flex items-center gap-2 text-sm text-slate-700">
            <input type="radio" name="policy" value={p} defaultChecked={current === p} className="size-4" />
            {UNREVIEWED_COLUMNS_LABELS[p]}
            {p === "FAIL" && <span className="text-slate-500">(default)</span>}
          </label>
        ))}
        {fieldError(state, "policy") && <p className="text-sm text-red-700">{fieldError(state, "policy")}</p>}
      </fieldset>
      <Button type="submit" pending={pending}>
        Save
      </Button>
      {message && <Alert tone="error">{message}</Alert>}
    </form>
  );
}
