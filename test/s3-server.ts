import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { allowEgressTo } from "./egress";
import { freePort } from "./pg-server";

// A real S3-compatible server for tests: s3rver (npm) as a child process on a free port with its
// own temp folder. It needs --openssl-legacy-provider for paged listings (ENVIRONMENT.md).
// s3rver accepts any credentials.

export type TestS3 = {
  endpoint: string;
  bucket: string;
  connection: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };
  stop(): Promise<void>;
};

export async function startS3Server(bucket = "doppel-test"): Promise<TestS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "doppel-s3-"));
  const port = await freePort();
  const bin = path.resolve(import.meta.dirname, "../node_modules/s3rver/bin/s3rver.js");
  const child: ChildProcess = spawn(process.execPath, [bin, "-d", dir, "-a", "127.0.0.1", "-p", String(port), "--silent", "--configure-bucket", bucket], {
    env: { ...process.env, NODE_OPTIONS: "--openssl-legacy-provider" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => { stderr += String(d); });
  const deadline = Date.now() + 15_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`s3rver did not start: ${stderr.slice(0, 500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoint = `http://127.0.0.1:${port}`;
  allowEgressTo(`127.0.0.1:${port}`); // a test's own server (the egress policy refuses loopback by default)
  return {
    endpoint,
    bucket,
    connection: { endpoint, region: "us-east-1", bucket, accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill();
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => { s.end(); resolve(true); });
    s.once("error", () => resolve(false));
  });
}

/**
 * An HTTP proxy in front of the test S3 server: records each request as "METHOD /bucket/key" and
 * answers the ones `deny` picks with S3's 403 AccessDenied (to fail one kind of write on purpose).
 */
export async function startS3Proxy(target: string, opts: { deny?: (method: string, path: string) => boolean } = {}) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url!, "http://x").pathname);
    seen.push(`${req.method} ${p}`);
    if (opts.deny?.(req.method!, p)) {
      req.resume();
      res.writeHead(403, { "content-type": "application/xml" });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      return;
    }
    const up = http.request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  allowEgressTo(`127.0.0.1:${port}`);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
