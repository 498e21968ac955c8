import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startPolling, type PollEnv, type PollOptions } from "./use-poll";

// The polling loop under fake timers: requests are answered when the test says so, and the tab's
// visibility is a flag the test flips.

type Call = { url: string; signal: AbortSignal; answer: (body: unknown) => void };

function fakeEnv() {
  const calls: Call[] = [];
  const doc = Object.assign(new EventTarget(), { hidden: false });
  const env: PollEnv = {
    fetch: ((url: string, init: RequestInit) => new Promise<Response>((resolve) => {
      calls.push({ url, signal: init.signal!, answer: (body) => resolve(new Response(JSON.stringify(body))) });
    })) as unknown as typeof fetch,
    document: doc as unknown as PollEnv["document"],
  };
  const setHidden = (hidden: boolean) => {
    doc.hidden = hidden;
    doc.dispatchEvent(new Event("visibilitychange"));
  };
  return { env, calls, setHidden };
}

/** Answers the last request and lets the loop handle it. */
async function answer(calls: Call[], body: unknown) {
  calls.at(-1)!.answer(body);
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("startPolling", () => {
  it("never has two requests at once: the next waits for the answer, then the interval", async () => {
    const { env, calls } = fakeEnv();
    const stop = startPolling("/api/jobs/1", () => ({ intervalMs: 1000, onResponse: () => {} }), env);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000); // a slow server
    expect(calls).toHaveLength(1);
    await answer(calls, {});
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    stop();
  });

  it("stops when the handler says the job is over, and reads the query afresh for each request", async () => {
    const { env, calls } = fakeEnv();
    let after = 0;
    const seen: unknown[] = [];
    const opts: PollOptions = {
      query: () => `?after=${after}`,
      onResponse: async (res) => {
        const body = (await res.json()) as { done: boolean; last: number };
        seen.push(body);
        after = body.last;
        return body.done ? "stop" : undefined;
      },
    };
    startPolling("/api/jobs/1", () => opts, env);
    await vi.advanceTimersByTimeAsync(1000);
    await answer(calls, { done: false, last: 7 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.map((c) => c.url)).toEqual(["/api/jobs/1?after=0", "/api/jobs/1?after=7"]);
    await answer(calls, { done: true, last: 9 });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toHaveLength(2);
    expect(seen).toHaveLength(2);
  });

  it("backs off while the tab is hidden and asks at once when it is shown again", async () => {
    const { env, calls, setHidden } = fakeEnv();
    startPolling("/s", () => ({ intervalMs: 1000, onResponse: () => {} }), env);
    await vi.advanceTimersByTimeAsync(1000);
    setHidden(true);
    // Hidden: each wait doubles (2, 4, 8, 16 s), up to 30 s.
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      await answer(calls, {});
      const before = calls.length;
      let waited = 0;
      while (calls.length === before) {
        await vi.advanceTimersByTimeAsync(1000);
        waited += 1000;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
    await answer(calls, {});
    const before = calls.length;
    setHidden(false);
    expect(calls).toHaveLength(before + 1);
    // Shown while a request is in flight: no second one.
    setHidden(true);
    setHidden(false);
    expect(calls).toHaveLength(before + 1);
    await answer(calls, {});
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(before + 2);
  });

  it("aborts the request in flight when stopped, and no handler runs after that", async () => {
    const { env, calls } = fakeEnv();
    const onResponse = vi.fn();
    const onNetworkError = vi.fn();
    const stop = startPolling("/s", () => ({ onResponse, onNetworkError }), env);
    await vi.advanceTimersByTimeAsync(1000);
    stop();
    expect(calls[0]!.signal.aborted).toBe(true);
    await answer(calls, {});
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onResponse).not.toHaveBeenCalled();
    expect(onNetworkError).not.toHaveBeenCalled();
    expect(calls).toHaveLength(1);
  });

  it("keeps polling through a failed request, and gives up after giveUpAfterMs", async () => {
    const { env, calls } = fakeEnv();
    const onNetworkError = vi.fn();
    const onGiveUp = vi.fn();
    startPolling("/s", () => ({ giveUpAfterMs: 5000, onResponse: () => { throw new Error("not JSON"); }, onNetworkError, onGiveUp }), env);
    await vi.advanceTimersByTimeAsync(1000);
    await answer(calls, {});
    expect(onNetworkError).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      if (calls.at(-1)) await answer(calls, {});
    }
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    const n = calls.length;
    expect(n).toBeGreaterThan(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(n);
  });
});
