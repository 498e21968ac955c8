import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "generated/", ".doppel/", "test-output/", "test-results/", "next-env.d.ts", "bench/.out/", ".build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // The engine, the rules and the shared schemas run under plain Node (worker, CLI).
    files: ["lib/pipeline/**", "lib/redaction/**", "lib/schemas/**", "lib/jobs/**", "lib/egress/**", "workers/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["next", "next/*", "react", "react-dom", "next-auth", "next-auth/*"], message: "lib/pipeline, lib/redaction, lib/schemas, lib/jobs, lib/egress and workers/ must run under plain Node." },
      ] }],
    },
  },
);
