"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { controlClass, Input, Select } from "@/app/_components/field";
import { useAction } from "@/app/_components/use-action";
import { fieldError, formError, useFormAction } from "@/app/_components/use-form-action";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

type KeyRole = "ADMIN" | "EDITOR" | "VIEWER";
const ROLE_HELP: Record<KeyRole, string> = { EDITOR: "Editor: start runs and read their status (what CI needs).", VIEWER: "Viewer: read run status only.", ADMIN: "Admin: everything an admin can do through the API." };

function CopyBox({ label, value, testId, multiline }: { label: string; value: string; testId: string; multiline?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mt-2 flex gap-2">
      {multiline ? (
        <textarea readOnly value={value} aria-label={label} data-testid={testId} rows={4} className={`${controlClass} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
      ) : (
        <input readOnly value={value} aria-label={label} data-testid={testId} className={`${controlClass} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
      )}
      <Button
        type="button"
        variant="secondary"
        onClick={async () => {
          await navigator.clipboard?.writeText(value).catch(() => undefined);
          setCopied(true);
        }}
      >
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}

export function CreateApiKeyForm({ orgSlug, roles, origin, exampleWorkflowId }: { orgSlug: string; roles: KeyRole[]; origin: string; exampleWorkflowId: string | null }) {
  const router = useRouter();
  const [state, formAction, pending] = useFormAction(
    (input) => createApiKeyAction(orgSlug, { name: input.name ?? "", role: (input.role ?? "EDITOR") as KeyRole }),
    () => router.refresh(),
    (d) => `API key “${d.name}” created: copy it now.`,
  );
  const message = formError(state);
  const created = state.result?.ok ? state.result.data : null;
  const curl = created
    ? `curl -X POST ${origin}/api/v1/workflows/${exampleWorkflowId ?? "WORKFLOW_ID"}/runs \\\n  -H "Authorization: Bearer ${created.key}"\n# then poll: curl ${origin}/api/v1/runs/JOB_ID -H "Authorization: Bearer ${created.key}"`
    : "";
  return (
    <div className="space-y-4 px-5 py-4">
      <form action={formAction} className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start" noValidate>
        <Input label="Key name" name="name" placeholder="GitHub Actions" defaultValue={created ? "" : state.values.name} error={fieldError(state, "name")} />
        <Select label="Role" name="role" defaultValue={state.values.role ?? "EDITOR"} error={fieldError(state, "role")}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r.charAt(0) + r.slice(1).toLowerCase()}
            </option>
          ))}
        </Select>
        <Button type="submit" pending={pending} className="sm:mt-7">
          Create key
        </Button>
      </form>
      <ul className="space-y-0.5 text-xs text-slate-500">
        {roles.map((r) => (
          <li key={r}>{ROLE_HELP[r]}</li>
        ))}
      </ul>
      {message && <Alert tone="error">{message}</Alert>}
      {created && (
        <Alert tone="success" title={`Key "${created.name}" created`}>
          <p>Copy it now: it is shown only once. Store it as a secret in your CI.</p>
          <CopyBox label="New API key" value={created.key} testId="new-api-key" />
          <p className="mt-3">Start a run from CI:</p>
          <CopyBox label="Example curl command" value={curl} testId="curl-example" multiline />
        </Alert>
      )}
    </div>
  );
}

export function RevokeKeyButton({ orgSlug, keyId, name }: { orgSlug: string; keyId: string; name: string }) {
  const { run, pending, error } = useAction();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="ghost"
        size="sm"
        className="text-red-700 hover:bg-red-50"
        pending={pending}
        aria-label={`Revoke ${name}`}
        onClick={() => {
          if (!confirm(`Revoke the key "${name}"? Anything using it stops working at once.`)) return;
          run(() => revokeApiKeyAction(orgSlug, { keyId }), { success: `API key “${name}” revoked.` });
        }}
      >
        Revoke
      </Button>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
