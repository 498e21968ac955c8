"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { Field, Input, Select } from "@/app/_components/field";
import { fieldError, formError, useFormAction } from "@/app/_components/use-form-action";
import { createConnectionAction, updateConnectionAction } from "./actions";

type Kind = "POSTGRES" | "S3";
type Existing = { id: string; name: string; settings: Record<string, string>; hasSecret: boolean };

// One form for both kinds. The secret is write-only: an edit shows "•••• set" and a Replace
// button; leaving it untouched keeps the stored secret (the server never sends it back).
// Changing where the connection points needs the secret again: the server says so on the
// secret's field, which then opens for input.

const SETTINGS: Record<Kind, string[]> = {
  POSTGRES: ["host", "port", "database", "user", "tlsMode", "caCert"],
  S3: ["endpoint", "region", "bucket", "accessKeyId", "forcePathStyle"],
};

export function ConnectionForm({ orgSlug, kind, existing }: { orgSlug: string; kind: Kind; existing?: Existing }) {
  const router = useRouter();
  const [replacing, setReplacing] = useState(!existing?.hasSecret);
  const [tlsMode, setTlsMode] = useState(existing?.settings.tlsMode ?? "disable");
  const secretName = kind === "POSTGRES" ? "password" : "secretAccessKey";
  const [state, formAction, pending] = useFormAction(
    async (v) => {
      const settings = Object.fromEntries(SETTINGS[kind].map((k) => [k, v[k] ?? ""]));
      // Present only while the secret field is shown (replacing, or asked for again by the server).
      const secret = v[secretName];
      const input = { name: v.name ?? "", kind, settings, ...(secret ? { secret } : {}) };
      return existing ? updateConnectionAction(orgSlug, { ...input, connectionId: existing.id }) : createConnectionAction(orgSlug, input);
    },
    (data) => {
      if (!existing) router.push(`/${orgSlug}/connections/${data.id}?created=1`);
      else {
        setReplacing(false);
        router.refresh();
      }
    },
  );
  const val = (k: string, fallback = "") => state.values[k] ?? existing?.settings[k] ?? fallback;
  const err = (k: string) => fieldError(state, k);
  const message = formError(state);
  // The server asks for the secret again (the connection now points elsewhere): keep its field open.
  if (err(secretName) && !replacing) setReplacing(true);
  return (
    <form action={formAction} className="space-y-5 px-5 py-5" noValidate>
      {message && <Alert tone="error">{message}</Alert>}
      {state.result && !state.result.ok && !message && <Alert tone="error">{state.result.error.message}</Alert>}
      {state.result?.ok && existing && <Alert tone="success">Saved.</Alert>}
      <Input label="Name" name="name" required defaultValue={state.values.name ?? existing?.name ?? ""} placeholder={kind === "POSTGRES" ? "Production database" : "Exports bucket"} error={err("name")} />
      {kind === "POSTGRES" ? (
        <>
          <div className="grid gap-5 sm:grid-cols-[1fr_8rem]">
            <Input label="Host" name="host" required defaultValue={val("host")} placeholder="db.internal.example.com" autoComplete="off" error={err("host")} />
            <Input label="Port" name="port" inputMode="numeric" defaultValue={val("port", "5432")} error={err("port")} />
          </div>
          <div className="grid gap-5 sm:grid-cols-2">
            <Input label="Database" name="database" required defaultValue={val("database")} autoComplete="off" error={err("database")} />
            <Input label="User" name="user" required defaultValue={val("user")} autoComplete="off" error={err("user")} />
          </div>
          <SecretInput label="Password" name="password" hasSecret={!!existing?.hasSecret} replacing={replacing} onReplace={() => setReplacing(true)} error={err("password")} />
          <Select label="TLS" name="tlsMode" value={tlsMode} onChange={(e) => setTlsMode(e.target.value)} error={err("tlsMode")}
            hint={tlsMode === "disable" ? "No encryption: only for servers on a private network." : tlsMode === "require" ? "Encrypted, without checking the server's certificate." : "Encrypted, and the server's certificate must be signed by the CA below."}
          >
            <option value="disable">disable</option>
            <option value="require">require</option>
            <option value="verify-full">verify-full</option>
          </Select>
          {tlsMode === "verify-full" && (
            <Field label="CA certificate (PEM)" error={err("caCert")} hint="The certificate of the authority that signed the server's certificate.">
              {(p) => <textarea {...p} name="caCert" rows={5} defaultValue={val("caCert")} placeholder="-----BEGIN CERTIFICATE-----" className={`${p.className} font-mono text-xs`} />}
            </Field>
          )}
        </>
      ) : (
        <>
          <Input label="Endpoint" name="endpoint" defaultValue={val("endpoint")} placeholder="https://s3.example.com" hint="Leave empty for AWS S3; set it for MinIO and other S3-compatible servers." error={err("endpoint")} />
          <div className="grid gap-5 sm:grid-cols-2">
            <Input label="Region" name="region" defaultValue={val("region", "us-east-1")} error={err("region")} />
            <Input label="Bucket" name="bucket" required defaultValue={val("bucket")} error={err("bucket")} />
          </div>
          <Input label="Access key id" name="accessKeyId" required defaultValue={val("accessKeyId")} autoComplete="off" error={err("accessKeyId")} />
          <SecretInput label="Secret access key" name="secretAccessKey" hasSecret={!!existing?.hasSecret} replacing={replacing} onReplace={() => setReplacing(true)} error={err("secretAccessKey")} />
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" name="forcePathStyle" defaultChecked={existing ? existing.settings.forcePathStyle === "on" : true} className="size-4 rounded border-slate-300" />
            Path-style URLs (endpoint/bucket/key) — needed by most S3-compatible servers
          </label>
        </>
      )}
      <div className="flex items-center gap-3 border-t border-slate-100 pt-5">
        <Button type="submit" pending={pending}>
          {existing ? "Save changes" : "Save connection"}
        </Button>
        {!existing && <p className="text-sm text-slate-500">You can test it on the next page.</p>}
      </div>
    </form>
  );
}

function SecretInput(props: { label: string; name: string; hasSecret: boolean; replacing: boolean; onReplace(): void; error?: string }) {
  if (props.hasSecret && !props.replacing) {
    return (
      <Field label={props.label} hint="Stored encrypted. It is never shown again.">
        {(p) => (
          <div className="flex items-center gap-3">
            <input id={p.id} readOnly value="•••• set" aria-describedby={p["aria-describedby"]} className={`${p.className} max-w-48 text-slate-500`} data-testid={`${props.name}-set`} />
            <Button type="button" variant="secondary" onClick={props.onReplace}>
              Replace
            </Button>
          </div>
        )}
      </Field>
    );
  }
  return <Input label={props.label} name={props.name} type="password" autoComplete="new-password" error={props.error} hint={props.hasSecret && !props.error ? "Leave empty to keep the stored one." : undefined} />;
}
