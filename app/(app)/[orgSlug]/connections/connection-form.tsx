"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { Field, Input, Select } from "@/app/_components/field";
import { fieldError, formError, type FormResult, useFormAction } from "@/app/_components/use-form-action";
import { defaultTlsMode } from "@/lib/schemas/connection";
import type { ConnectionJobView } from "@/lib/server/services/connections/connection-status";
import { createConnectionAction, testSettingsAction, updateConnectionAction } from "./actions";
import { TestOutcome } from "./connection-controls";
import { waitForSettingsTest } from "./wait-for-settings-test";

type Kind = "POSTGRES" | "S3";
type Existing = { id: string; name: string; settings: Record<string, string>; hasSecret: boolean };
/** Which button submitted the form: save as is, test only, or test and save only if it passes. */
type Intent = "save" | "test" | "test-save";
type Outcome = { id: string | null; test: ConnectionJobView | null };

// One form for both kinds. The secret is write-only: an edit shows "•••• set" and a Replace
// button; leaving it untouched keeps the stored secret (the server never sends it back).
// Changing where the connection points needs the secret again: the server says so on the
// secret's field, which then opens for input. "Test" runs the worker's connection test on the
// settings as typed (nothing is saved); "Test and save" saves them only when that test passes.

const SETTINGS: Record<Kind, string[]> = {
  POSTGRES: ["host", "port", "database", "user", "tlsMode", "caCert"],
  S3: ["endpoint", "region", "bucket", "accessKeyId", "forcePathStyle"],
};

export function ConnectionForm({ orgSlug, kind, existing }: { orgSlug: string; kind: Kind; existing?: Existing }) {
  const router = useRouter();
  const [replacing, setReplacing] = useState(!existing?.hasSecret);
  // null: the default for the host as typed (defaultTlsMode), until someone picks a mode.
  const [tlsChoice, setTlsChoice] = useState<string | null>(existing?.settings.tlsMode ?? null);
  const [host, setHost] = useState(existing?.settings.host ?? "");
  const [intent, setIntent] = useState<Intent>("test-save");
  const tlsMode = tlsChoice ?? defaultTlsMode(host, 5432);
  const secretName = kind === "POSTGRES" ? "password" : "secretAccessKey";
  const [state, formAction, pending] = useFormAction<Outcome>(
    async (v): Promise<FormResult<Outcome>> => {
      const settings = Object.fromEntries(SETTINGS[kind].map((k) => [k, v[k] ?? ""]));
      // Present only while the secret field is shown (replacing, or asked for again by the server).
      const secret = v[secretName];
      const input = { name: v.name ?? "", kind, settings, ...(secret ? { secret } : {}) };
      let test: ConnectionJobView | null = null;
      if (v.intent === "test" || v.intent === "test-save") {
        const started = await testSettingsAction(orgSlug, { kind, settings, ...(secret ? { secret } : {}), ...(existing ? { connectionId: existing.id } : {}) });
        if (!started.ok) return started;
        const done = await waitForSettingsTest(orgSlug, started.data.jobId);
        if (!done.ok) return done;
        test = done.data;
        if (v.intent === "test" || test.status !== "SUCCEEDED") return { ok: true, data: { id: null, test } };
      }
      const tested = { ...input, ...(test ? { testJobId: test.id } : {}) };
      const saved = existing ? await updateConnectionAction(orgSlug, { ...tested, connectionId: existing.id }) : await createConnectionAction(orgSlug, tested);
      return saved.ok ? { ok: true, data: { id: saved.data.id, test } } : saved;
    },
    (data) => {
      if (!data.id) return;
      if (!existing) router.push(`/${orgSlug}/connections/${data.id}?created=${data.test ? "tested" : "1"}`);
      else {
        setReplacing(false);
        router.refresh();
      }
    },
    // A new connection opens its page, which confirms it; a failed test is shown inline.
    (data, v) => (data.id ? (existing ? `Connection “${v.name || existing.name}” saved.` : undefined) : data.test?.status === "SUCCEEDED" ? "Connection test passed. Nothing was saved." : undefined),
  );
  const outcome = state.result?.ok ? state.result.data : null;
  // React resets the form after each submit, and a reset puts a select back on its first selected
  // option whatever its controlled value: put the shown TLS mode back on what will be sent.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const select = formRef.current?.elements.namedItem("tlsMode");
    if (select instanceof HTMLSelectElement) select.value = tlsMode;
  }, [state, tlsMode]);
  const val = (k: string, fallback = "") => state.values[k] ?? existing?.settings[k] ?? fallback;
  const err = (k: string) => fieldError(state, k);
  const message = formError(state);
  // The server asks for the secret again (the connection now points elsewhere): keep its field open.
  if (err(secretName) && !replacing) setReplacing(true);
  // React resets the form after each submit: a secret typed for a test stays until it is saved.
  const keptSecret = outcome?.id ? undefined : state.values[secretName];
  return (
    <form ref={formRef} action={formAction} className="space-y-5 px-5 py-5" noValidate>
      {message && <Alert tone="error">{message}</Alert>}
      {state.result && !state.result.ok && !message && <Alert tone="error">{state.result.error.message}</Alert>}
      <Input label="Name" name="name" required defaultValue={state.values.name ?? existing?.name ?? ""} placeholder={kind === "POSTGRES" ? "Production database" : "Exports bucket"} error={err("name")} />
      {kind === "POSTGRES" ? (
        <>
          <div className="grid gap-5 sm:grid-cols-[1fr_8rem]">
            <Input label="Host" name="host" required defaultValue={val("host")} onChange={(e) => setHost(e.target.value)} placeholder="db.internal.example.com" autoComplete="off" error={err("host")} />
            <Input label="Port" name="port" inputMode="numeric" defaultValue={val("port", "5432")} error={err("port")} />
          </div>
          <div className="grid gap-5 sm:grid-cols-2">
            <Input label="Database" name="database" required defaultValue={val("database")} autoComplete="off" error={err("database")} />
            <Input label="User" name="user" required defaultValue={val("user")} autoComplete="off" error={err("user")} />
          </div>
          <SecretInput label="Password" name="password" hasSecret={!!existing?.hasSecret} replacing={replacing} onReplace={() => setReplacing(true)} error={err("password")} keep={keptSecret} />
          <Select label="TLS" name="tlsMode" value={tlsMode} onChange={(e) => setTlsChoice(e.target.value)} error={err("tlsMode")}
            hint={`${tlsMode === "disable" ? "No encryption: only for servers on this machine or a private network." : tlsMode === "require" ? "Encrypted, without checking the server's certificate." : "Encrypted, and the server's certificate must be signed by the CA below."}${tlsChoice === null ? (tlsMode === "disable" ? " The default for a server on this machine." : " The default for a server elsewhere.") : ""}`}
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
          <SecretInput label="Secret access key" name="secretAccessKey" hasSecret={!!existing?.hasSecret} replacing={replacing} onReplace={() => setReplacing(true)} error={err("secretAccessKey")} keep={keptSecret} />
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" name="forcePathStyle" defaultChecked={existing ? existing.settings.forcePathStyle === "on" : true} className="size-4 rounded border-slate-300" />
            Path-style URLs (endpoint/bucket/key) — needed by most S3-compatible servers
          </label>
        </>
      )}
      {outcome?.test && (
        <div className="space-y-2" data-testid="form-test-result">
          <TestOutcome job={outcome.test} />
          {outcome.test.status !== "SUCCEEDED" && intent === "test-save" && <p className="text-sm text-slate-600">Nothing was saved: fix the settings and test again, or save without testing.</p>}
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-5">
        <Button type="submit" name="intent" value="test-save" pending={pending && intent === "test-save"} disabled={pending} onClick={() => setIntent("test-save")}>
          {pending && intent === "test-save" ? "Testing…" : "Test and save"}
        </Button>
        <Button type="submit" name="intent" value="test" variant="secondary" pending={pending && intent === "test"} disabled={pending} onClick={() => setIntent("test")}>
          {pending && intent === "test" ? "Testing…" : "Test"}
        </Button>
        <Button type="submit" name="intent" value="save" variant="secondary" pending={pending && intent === "save"} disabled={pending} onClick={() => setIntent("save")}>
          {existing ? "Save changes" : "Save connection"}
        </Button>
        <p className="text-sm text-slate-500">Test runs on a worker with the settings as typed; saving without a test is allowed.</p>
      </div>
    </form>
  );
}

function SecretInput(props: { label: string; name: string; hasSecret: boolean; replacing: boolean; onReplace(): void; error?: string; keep?: string }) {
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
  return <Input label={props.label} name={props.name} type="password" autoComplete="new-password" defaultValue={props.keep} error={props.error} hint={props.hasSecret && !props.error ? "Leave empty to keep the stored one." : undefined} />;
}
