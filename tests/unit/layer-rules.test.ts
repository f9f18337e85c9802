import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The layer rule of eslint.config.mjs (app -> server -> core, components beside app, i18n below
// both and above core), run through
// the project's real configuration on small snippets: each forbidden import must be reported by
// no-restricted-imports with its layer's reason, and the imports a layer may make must not be.

const root = path.resolve(import.meta.dirname, "../..");

/** The three ways a module names another: value import, type-only import, re-export. */
const forms = [
  (specifier: string, n: number) => `import { x${n} } from "${specifier}"; export const y${n} = x${n};`,
  (specifier: string, n: number) => `import type { X${n} } from "${specifier}"; export type Y${n} = X${n};`,
  (specifier: string, n: number) => `export { z${n} } from "${specifier}";`,
];

/**
 * Lints one snippet, as if it were the file `filePath`, importing each specifier in each form (one
 * per line; loading the configuration costs seconds, a snippet milliseconds) and answers, per
 * specifier, the no-restricted-imports messages of each form.
 */
async function restrictedImports(
  eslint: ESLint,
  filePath: string,
  specifiers: string[],
): Promise<Map<string, string[][]>> {
  const lines = specifiers.flatMap((specifier, i) =>
    forms.map((form, f) => ({ specifier, code: form(specifier, i * forms.length + f) })),
  );
  const code = lines.map((line) => line.code).join("\n") + "\n";
  const results = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  const messages = results.flatMap((result) => result.messages);
  expect(
    messages.filter((message) => message.fatal),
    "the snippet must parse",
  ).toEqual([]);
  const reported = new Map<string, string[][]>(specifiers.map((specifier) => [specifier, []]));
  lines.forEach((line, index) => {
    const onLine = messages.filter((m) => m.ruleId === "no-restricted-imports" && m.line === index + 1);
    reported.get(line.specifier)?.push(onLine.map((m) => m.message));
  });
  return reported;
}

const layers = [
  {
    file: "src/core/example.ts",
    reason: "src/core is the framework-free session engine",
    forbidden: [
      "next",
      "next/server",
      "next/navigation",
      "next-auth",
      "next-auth/jwt",
      "react",
      "react-dom",
      "react/jsx-runtime",
      "@prisma/client",
      "@prisma/adapter-pg",
      "@/generated/prisma/client",
      "ioredis",
      "pg",
      "@electric-sql/pglite",
      "@/server/env",
      "@/app/(app)/actions",
      "@/components/brand",
      "../server/env",
      "../generated/prisma/client",
      "../app/layout",
      "../components/brand",
      "../../src/server/services",
      "@/i18n/locales",
      "../i18n/engine-text",
    ],
    allowed: ["./ports", "./errors", "jose", "zod", "node:crypto", "nextjs-like-but-not-next", "pg-format"],
  },
  {
    file: "src/components/example.tsx",
    reason: "src/components is shared UI",
    forbidden: ["@/app/(app)/actions", "@/server/services", "../app/(app)/actions", "../server/services"],
    allowed: ["./brand", "react", "next/link", "@/core/errors", "@/i18n/locales"],
  },
  {
    file: "src/i18n/example.ts",
    reason: "src/i18n is how a request's language is chosen",
    forbidden: ["@/app/language-actions", "@/components/brand", "@/server/services", "../server/env", "../app/layout"],
    allowed: ["./locales", "@/core/errors", "next-intl", "next/headers", "../../messages/en/common.json"],
  },
  {
    file: "src/server/http/example.ts",
    reason: "src/server holds the adapters",
    forbidden: ["@/app/(app)/actions", "../../app/(app)/actions"],
    allowed: ["../env", "@/core/ports", "@/server/env", "next/server", "@/generated/prisma/client", "@/i18n/locales"],
  },
];

describe("the layer rule (eslint.config.mjs)", () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  describe.each(layers)("$file", ({ file, reason, forbidden, allowed }) => {
    let reported: Map<string, string[][]>;
    beforeAll(async () => {
      reported = await restrictedImports(eslint, file, [...forbidden, ...allowed]);
    }, 30_000); // the first lint loads the configuration (Next's included): seconds on a busy machine

    it.each(forbidden)("reports %s (import, import type, re-export), with the reason", (specifier) => {
      const perForm = reported.get(specifier);
      expect(perForm).toHaveLength(forms.length);
      for (const messages of perForm ?? []) {
        expect(messages).toHaveLength(1);
        expect(messages[0]).toContain(reason);
      }
    });

    it.each(allowed)("allows %s", (specifier) => {
      expect(reported.get(specifier)).toEqual(forms.map(() => []));
    });
  });

  it("lets pages and routes import the server, the engine and the components", { timeout: 30_000 }, async () => {
    const specifiers = ["@/server/services", "@/core/errors", "@/components/brand", "./actions"];
    const reported = await restrictedImports(eslint, "src/app/(app)/example.tsx", specifiers);
    expect([...reported.values()]).toEqual(specifiers.map(() => forms.map(() => [])));
  });
});
