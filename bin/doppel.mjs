#!/usr/bin/env node
// `doppel` as an installed command (package.json "bin"): loads the TypeScript CLI through tsx.
import process from "node:process";
import { register } from "tsx/esm/api";

register();
const { main } = await import("./doppel.ts");
process.exit(await main(process.argv.slice(2)));
