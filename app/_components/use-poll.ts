"use client";

import { useEffect, useRef } from "react";

// One polling loop for the pages that watch a job (the run page, the scan page, a connection's
// test): GET `url` every `intervalMs` until the handler says the job is over. A request starts
// only after the previous one ended (never two at once, however slow the server); while the tab
// is hidden the wait doubles up to HIDDEN_MAX_MS, and the tab coming back asks at once. Leaving
// the page aborts the request in flight, and no handler runs after that.

const HIDDEN_MAX_MS = 30_000;

export type PollOptions = {
  /** Added to the URL of each request (read just before it: a cursor such as `?after=<id>`). */
  query?: () => string;
  /** The wait between the end of one request and the start of the next. */
  intervalMs?: number;
  /** The wait before the first request. */
  firstDelayMs?: number;
  /** Every response that arrived; return "stop" when the job is terminal (or polling should end). */
  onResponse: (res: Response) => Promise<"stop" | void> | "stop" | void;
  /** The request or its handler failed (offline for a moment): polling goes on. */
  onNetworkError?: () => void;
  /** Stop after this long without a "stop", and call `onGiveUp`. */
  giveUpAfterMs?: number;
  onGiveUp?: () => void;
};

/** What the loop uses of the browser (a test passes its own). */
export type PollEnv = { fetch: typeof fetch; document: Pick<Document, "hidden" | "addEventListener" | "removeEventListener"> };

/** Polls `url` (null: not polling; a new url starts again). The options may change between renders. */
export function usePoll(url: string | null, options: PollOptions) {
  const opts = useRef(options);
  useEffect(() => {
    opts.current = options;
  });
  useEffect(() => (url === null ? undefined : startPolling(url, () => opts.current, { fetch: (...a) => fetch(...a), document })), [url]);
}

/** The loop of usePoll; returns the function that stops it. `options` is read afresh at each step. */
export function startPolling(url: string, options: () => PollOptions, env: PollEnv): () => void {
  const abort = new AbortController();
  const interval = options().intervalMs ?? 1000;
  const giveUpAfter = options().giveUpAfterMs;
  const deadline = giveUpAfter === undefined ? Infinity : Date.now() + giveUpAfter;
  /** Set only while waiting: undefined while a request is in flight (or polling has ended). */
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wait = interval;
  const schedule = (ms?: number) => {
    if (abort.signal.aborted) return;
    wait = env.document.hidden ? Math.min(wait * 2, HIDDEN_MAX_MS) : interval;
    timer = setTimeout(poll, ms ?? wait);
  };
  const poll = async () => {
    timer = undefined;
    if (Date.now() > deadline) {
      options().onGiveUp?.();
      return;
    }
    let stop = false;
    try {
      const res = await env.fetch(`${url}${options().query?.() ?? ""}`, { cache: "no-store", signal: abort.signal });
      if (abort.signal.aborted) return;
      stop = (await options().onResponse(res)) === "stop";
    } catch {
      if (!abort.signal.aborted) options().onNetworkError?.();
    }
    if (!stop) schedule();
  };
  const onVisibility = () => {
    if (env.document.hidden || timer === undefined) return;
    clearTimeout(timer);
    void poll();
  };
  env.document.addEventListener("visibilitychange", onVisibility);
  schedule(options().firstDelayMs ?? interval);
  return () => {
    abort.abort();
    clearTimeout(timer);
    env.document.removeEventListener("visibilitychange", onVisibility);
  };
}
