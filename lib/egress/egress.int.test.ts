import { execFile } from "node:child_process";
import dns from "node:dns";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { promisify } from "node:util";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, inject, vi } from "vitest";
import { allowEgressTo, LOOPBACK_SPELLINGS, OTHER_INTERNAL_SPELLINGS, recordingListener, type RecordingListener } from "../../test/egress";
import { startS3Server, type TestS3 } from "../../test/s3-server";
import { closeSession, openSession } from "../pipeline/connect";
import { createS3Client } from "../pipeline/s3-output";
import { testS3Connection } from "../pipeline/test-connection";
import type { TPgConnection } from "../schemas/connection";
import { saveConnection } from "../server/services/connections/save-connection";
import { type AppTestDatabase, makeOrg, makeUser, openAppTestDatabase } from "../server/testing/fixtures";
import { EGRESS_REFUSED_MESSAGE } from "./policy";

// The egress policy where it is enforced: at save (the connection service), and at run (the
// engine's openSession and the S3 client factory), against real sockets. A recording listener on
// 127.0.0.1 (and ::1) proves that a refused host was never sent a packet.

let app: AppTestDatabase;
let listener: RecordingListener;
let s3: TestS3;
const allowBefore = process.env.DOPPEL_EGRESS_ALLOW;
it("the test setup allows the test servers", () => expect(allowBefore).toContain(new URL(inject("adminUrl")).host));

beforeAll(async () => {
  app = await openAppTestDatabase({ poolMax: 2 });
  listener = await recordingListener();
  s3 = await startS3Server("egress-test");
});
afterAll(async () => {
  await listener?.close();
  await s3?.stop();
  await app?.close();
});
afterEach(() => {
  if (allowBefore === undefined) delete process.env.DOPPEL_EGRESS_ALLOW;
  else process.env.DOPPEL_EGRESS_ALLOW = allowBefore;
  vi.restoreAllMocks();
});

/** A DNS answer the test chooses for one name (a name that points at this machine, as a tenant's DNS could); others resolve normally. */
function resolveNameTo(name: string, addresses: string[]) {
  const real = dns.promises.lookup.bind(dns.promises);
  vi.spyOn(dns.promises, "lookup").mockImplementation(((host: string, opts: dns.LookupAllOptions) =>
    host === name || host.endsWith(`.${name}`)
      ? Promise.resolve(addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })))
      : real(host, opts)) as typeof dns.promises.lookup);
}

const pgConn = (host: string, port = listener.port): TPgConnection => ({ host, port, database: "postgres", user: "postgres", password: "x", tlsMode: "disable" });

async function owner() {
  const user = await makeUser(app.db);
  const org = await makeOrg(app.db, user);
  return { orgId: org.id, actor: { userId: user.id, label: user.email, role: "OWNER" as const } };
}

describe("egress policy", () => {
  it("refuses every loopback spelling and a name that resolves to 127.0.0.1 at save, without a packet", async () => {
    resolveNameTo("rebind.example.com", ["127.0.0.1"]);
    const { orgId, actor } = await owner();
    for (const host of [...LOOPBACK_SPELLINGS, ...OTHER_INTERNAL_SPELLINGS, "rebind.example.com"]) {
      const saved = saveConnection({ db: app.db, orgId, actor, name: "x", kind: "POSTGRES", settings: { host, port: String(listener.port), database: "d", user: "u" }, secret: "pw" });
      await expect(saved, host).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { host: [EGRESS_REFUSED_MESSAGE] } });
      const endpoint = `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${listener.port}`;
      if (!URL.canParse(endpoint) || host.includes("/") || host.includes("%")) continue;
      const savedS3 = saveConnection({ db: app.db, orgId, actor, name: "x", kind: "S3", settings: { endpoint, bucket: "b-u-c", accessKeyId: "AK" }, secret: "s" });
      await expect(savedS3, endpoint).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { endpoint: [EGRESS_REFUSED_MESSAGE] } });
    }
    expect(await app.db.connection.count({ where: { orgId } })).toBe(0);
    expect(listener.connections()).toBe(0);
  });

  it("refuses the same hosts when a session is opened (engine), without a packet", async () => {
    resolveNameTo("rebind.example.com", ["127.0.0.1"]);
    for (const host of [...LOOPBACK_SPELLINGS, ...OTHER_INTERNAL_SPELLINGS, "rebind.example.com"]) {
      const err = await openSession(pgConn(host), "source").then(closeSession, (e: unknown) => e);
      expect(err, host).toMatchObject({ code: "EGRESS_REFUSED", message: EGRESS_REFUSED_MESSAGE });
    }
    // A name with one public and one internal answer is refused too (which one a connect would use is the resolver's choice).
    resolveNameTo("mixed.example.com", ["203.0.113.7", "::1"]);
    await expect(openSession(pgConn("mixed.example.com"), "target")).rejects.toMatchObject({ code: "EGRESS_REFUSED" });
    expect(listener.connections()).toBe(0);
  });

  it("refuses S3 endpoints (and AWS's own host name) that point inside, without a packet", async () => {
    for (const host of LOOPBACK_SPELLINGS) {
      const endpoint = `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${listener.port}`;
      const conn = { endpoint, region: "us-east-1", bucket: "b-u-c", accessKeyId: "AK", secretAccessKey: "s", forcePathStyle: true };
      const err = await testS3Connection(conn).catch((e: unknown) => e);
      expect(err, endpoint).toMatchObject({ code: "EGRESS_REFUSED", message: EGRESS_REFUSED_MESSAGE });
    }
    // A host name is resolved when the SDK opens its socket: refused there, for path-style and for AWS's virtual-hosted names.
    resolveNameTo("amazonaws.com", ["127.0.0.1"]);
    const aws = createS3Client({ region: "us-east-1", bucket: "b-u-c", accessKeyId: "AK", secretAccessKey: "s", forcePathStyle: false });
    await expect(aws.send(new HeadBucketCommand({ Bucket: "b-u-c" }))).rejects.toMatchObject({ code: "EGRESS_REFUSED" });
    aws.destroy();
    resolveNameTo("rebind.example.com", ["127.0.0.1"]);
    const named = await testS3Connection({ endpoint: `http://rebind.example.com:${listener.port}`, region: "us-east-1", bucket: "b-u-c", accessKeyId: "AK", secretAccessKey: "s", forcePathStyle: true }).catch((e: unknown) => e);
    expect(named).toMatchObject({ code: "EGRESS_REFUSED", message: EGRESS_REFUSED_MESSAGE });
    expect(listener.connections()).toBe(0);
  });

  it("an allow-listed address is reached, and only on the listed port", async () => {
    const server = new URL(inject("adminUrl"));
    const real: TPgConnection = { host: server.hostname, port: Number(server.port || 5432), database: "postgres", user: decodeURIComponent(server.username), password: decodeURIComponent(server.password), tlsMode: "disable" };
    const client = await openSession(real, "source"); // the test setup allows exactly this server
    expect((await client.query("SELECT 1 AS one")).rows[0].one).toBe(1);
    await closeSession(client);

    process.env.DOPPEL_EGRESS_ALLOW = "";
    await expect(openSession(real, "source")).rejects.toMatchObject({ code: "EGRESS_REFUSED" });

    allowEgressTo(`127.0.0.1:${listener.port}`);
    await expect(openSession(pgConn("127.0.0.1", listener.port + 1), "source")).rejects.toMatchObject({ code: "EGRESS_REFUSED" });
    await expect(openSession(pgConn("127.0.0.1"), "source")).rejects.toMatchObject({ code: "SOURCE_UNREACHABLE" }); // the listener hangs up
    expect(listener.connections()).toBe(1);

    allowEgressTo(new URL(s3.endpoint).host);
    await expect(testS3Connection(s3.connection)).resolves.toMatchObject({ bucket: "egress-test", canWrite: true });
    const { orgId, actor } = await owner();
    await expect(saveConnection({ db: app.db, orgId, actor, name: "local", kind: "S3", settings: { endpoint: s3.endpoint, bucket: s3.bucket, accessKeyId: "AK" }, secret: "s" })).resolves.toHaveProperty("id");
  });
});

describe("credentials", () => {
  const role = `egress_pw_${Math.random().toString(36).slice(2, 8)}`;
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  let admin: pg.Client;
  let dir: string;
  const server = () => new URL(inject("adminUrl"));
  const conn = (pw: string): TPgConnection => ({ host: server().hostname, port: Number(server().port || 5432), database: "postgres", user: role, password: pw, tlsMode: "disable" });

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: inject("adminUrl") });
    await admin.connect();
    await admin.query(`SET password_encryption = 'scram-sha-256'; CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    dir = await mkdtemp(path.join(os.tmpdir(), "doppel-egress-"));
  });
  afterAll(async () => {
    await admin?.query(`DROP ROLE IF EXISTS ${role}`);
    await admin?.end();
    await rm(dir, { recursive: true, force: true });
  });

  it("an empty password is sent as empty: never the worker's PGPASSWORD, ~/.pgpass or PGOPTIONS", async (ctx) => {
    const wrong = await openSession(conn("wrong"), "source").then(async (c) => (await closeSession(c), "signed in"), (e: { code: string }) => e.code);
    if (wrong === "signed in") ctx.skip(); // a trust-authentication server (TEST_DATABASE_URL) cannot tell
    const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE, PGOPTIONS: process.env.PGOPTIONS };
    try {
      process.env.PGPASSWORD = password;
      await expect(openSession(conn(""), "source")).rejects.toMatchObject({ code: "SOURCE_AUTH_FAILED" });
      delete process.env.PGPASSWORD;
      const passfile = path.join(dir, "pgpass");
      await writeFile(passfile, `*:*:*:${role}:${password}\n`);
      await chmod(passfile, 0o600);
      process.env.PGPASSFILE = passfile;
      await expect(openSession(conn(""), "source")).rejects.toMatchObject({ code: "SOURCE_AUTH_FAILED" });
      process.env.PGOPTIONS = "-c work_mem=1234kB";
      const client = await openSession(conn(password), "source");
      expect((await client.query("SHOW work_mem")).rows[0].work_mem).not.toBe("1234kB");
      await closeSession(client);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });
});

describe("TLS to the checked address", () => {
  let dir: string;
  let cert: string;
  let server: net.Server;
  let port: number;
  const sni: (string | false)[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "doppel-egress-tls-"));
    await promisify(execFile)("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=db.example.com",
      "-addext", "subjectAltName=DNS:db.example.com", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")]);
    cert = await readFile(path.join(dir, "cert.pem"), "utf8");
    const key = await readFile(path.join(dir, "key.pem"), "utf8");
    // Answers PostgreSQL's SSLRequest with 'S', completes the TLS handshake, records the SNI name, hangs up.
    server = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => {
        socket.write("S");
        const secure = new tls.TLSSocket(socket, { isServer: true, key, cert });
        secure.on("error", () => {});
        secure.on("secure", () => {
          sni.push((secure as tls.TLSSocket & { servername?: string | false }).servername ?? false);
          secure.destroy();
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it("connects to the resolved address but verifies the certificate against the host name (and sends it as SNI)", async () => {
    resolveNameTo("db.example.com", ["127.0.0.1"]);
    allowEgressTo(`db.example.com:${port}`, `127.0.0.1:${port}`);
    const conn = (host: string): TPgConnection => ({ host, port, database: "d", user: "u", password: "p", tlsMode: "verify-full", caCert: cert });
    // The handshake succeeds (then the stand-in server hangs up): the certificate matched db.example.com.
    await expect(openSession(conn("db.example.com"), "source")).rejects.toMatchObject({ code: "SOURCE_UNREACHABLE" });
    expect(sni).toEqual(["db.example.com"]);
    // Verification is really on: the same certificate does not match the bare address.
    await expect(openSession(conn("127.0.0.1"), "source")).rejects.toMatchObject({ code: "TLS_REQUIRED" });
  });
});
