// Entry of a redaction worker thread (parallel-redact-transform.ts): loads the TypeScript worker
// through tsx, as bin/doppel.mjs loads the CLI, with the repository's tsconfig so that its "@/"
// imports resolve whatever the process's working directory.
import { fileURLToPath, URL } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
await import("./redact-worker.ts");
