"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { usePoll } from "@/app/_components/use-poll";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { ConfirmDeleteButton } from "@/app/_components/confirm-delete-button";
import { RelativeTime } from "@/app/_components/relative-time";
import { useToast } from "@/app/_components/toast";
import { useAction } from "@/app/_components/use-action";
import type { ConnectionJobView, ConnectionStatus } from "@/lib/server/services/connections/connection-status";
import { createDemoConnectionsAction, deleteConnectionAction, testConnectionAction } from "./actions";

export function DemoConnectionsButton({ orgSlug }: { orgSlug: string }) {
  const { run, pending, error } = useAction();
  return (
    <div className="flex flex-col items-end gap-2">
      <Button pending={pending} onClick={() => run(() => createDemoConnectionsAction(orgSlug, {}), { success: "Demo connections added." })}>
        Use the demo databases
      </Button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

const done = (j: ConnectionJobView | null) => !j || j.status === "SUCCEEDED" || j.status === "FAILED" || j.status === "CANCELED";
/** A test of a PostgreSQL connection also lists its tables: wait for both. */
const finished = (s: ConnectionStatus, kind: "test" | "introspect") => (kind === "test" ? done(s.test) && (done(s.introspect) || s.test?.status === "FAILED") : done(s.introspect));

/**
 * Polls the connection's status route (about once a second, usePoll) while polling, and stops when the
 * job of `kind` has ended. Returns the latest status.
 */
export function useConnectionStatus(orgSlug: string, connectionId: string, initial: ConnectionStatus, kind: "test" | "introspect") {
  const [status, setStatus] = useState(initial);
  const [polling, setPolling] = useState(!finished(initial, kind));
  const [error, setError] = useState<string>();
  usePoll(polling ? `/${orgSlug}/connections/${connectionId}/status` : null, {
    firstDelayMs: 500,
    giveUpAfterMs: 120_000,
    onGiveUp: () => {
      setError("No worker has finished this yet. Is a worker running? (`npm start` runs one; more with `npm run worker`.) The result shows here when it is done: reload the page later.");
      setPolling(false);
    },
    onResponse: async (res) => {
      const body = await res.json();
      if (!res.ok) {
        setError(body?.error?.message ?? "Could not read the status.");
        setPolling(false);
        return "stop";
      }
      setError(undefined);
      setStatus(body as ConnectionStatus);
      if (finished(body as ConnectionStatus, kind)) {
        setPolling(false);
        return "stop";
      }
    },
    onNetworkError: () => setError("Lost contact with the server; retrying…"),
  });
  return { status, polling, error, startPolling: () => setPolling(true) };
}

export function TestConnectionPanel({ orgSlug, connectionId, initial }: { orgSlug: string; connectionId: string; initial: ConnectionStatus }) {
  const { status, polling, error, startPolling } = useConnectionStatus(orgSlug, connectionId, initial, "test");
  const [startError, setStartError] = useState<string>();
  const [pending, start] = useTransition();
  const toast = useToast();
  const test = status.test;
  const busy = pending || polling;
  // A test started here that passed: confirm it (a failure is shown inline, below the button).
  const started = useRef(false);
  useEffect(() => {
    if (!started.current || polling || test?.status !== "SUCCEEDED") return;
    started.current = false;
    toast("Connection test passed.");
  }, [polling, test?.status, toast]);
  return (
    <div className="space-y-4 px-5 py-4" data-testid="test-panel">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="secondary"
          pending={busy}
          onClick={() =>
            start(async () => {
              setStartError(undefined);
              const res = await testConnectionAction(orgSlug, { connectionId });
              if (!res.ok) setStartError(res.error.message);
              else {
                started.current = true;
                startPolling();
              }
            })
          }
        >
          {busy ? "Testing…" : "Test connection"}
        </Button>
        <p className="text-sm text-slate-500">Runs on a worker: connects with the saved settings and reports what it finds.</p>
      </div>
      {startError && <Alert tone="error">{startError}</Alert>}
      {error && <Alert tone="warning">{error}</Alert>}
      {test && !busy && <TestOutcome job={test} />}
      {busy && test && test.status === "QUEUED" && <p className="text-sm text-slate-500">Waiting for a worker…</p>}
    </div>
  );
}

export function TestOutcome({ job }: { job: ConnectionJobView }) {
  if (job.status === "SUCCEEDED") {
    return (
      <div data-testid="test-result" data-status="success">
        <Alert tone="success" title="Connection works">
          {job.finishedAt && (
            <p className="mb-1 text-xs">
              Tested <RelativeTime date={job.finishedAt} />.
            </p>
          )}
          <ul className="list-disc space-y-0.5 pl-5">
            {job.facts.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </Alert>
      </div>
    );
  }
  if (job.error) {
    return (
      <div data-testid="test-result" data-status="failure">
        <Alert tone="error" title={job.error.message}>
          {job.error.hint && <p>{job.error.hint}</p>}
        </Alert>
      </div>
    );
  }
  return null;
}

export function DeleteConnectionButton({ orgSlug, connectionId, name }: { orgSlug: string; connectionId: string; name: string }) {
  return (
    <ConfirmDeleteButton
      label="Delete connection"
      question={`Delete the connection “${name}”? Its saved password or secret is deleted with it.`}
      action={() => deleteConnectionAction(orgSlug, { connectionId })}
      redirectTo={`/${orgSlug}/connections`}
      done={`Connection “${name}” deleted.`}
    />
  );
}
