import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The layer rule: dependencies point one way, app -> server -> core (and components, the shared
 * UI, sit beside app). Each entry names the imports one layer must not make, by package or alias
 * and by relative path.
 */
const layers = [
  {
    files: ["src/core/**"],
    message:
      "src/core is the framework-free session engine: it reaches storage, mail and the clock through its ports (src/core/ports.ts) and uses plain libraries (jose, zod), never Next, next-auth, React, Prisma, Redis, PostgreSQL drivers or the layers above it (src/server, src/app, src/components, src/i18n). Add a port and implement it in src/server.",
    forbidden: [
      "^next(/|$)",
      "^next-auth(/|$)",
      "^react($|[-/])",
      "^@prisma/",
      "^ioredis(/|$)",
      "^pg(/|$)",
      "^@electric-sql/",
      "^@/(generated|server|app|components|i18n)(/|$)",
      "^(\\.\\./)+(src/)?(generated|server|app|components|i18n)(/|$)",
    ],
  },
  {
    files: ["src/components/**"],
    message:
      "src/components is shared UI: it must not reach into pages (src/app) or the server (src/server). Take what it needs (data, server actions) as props from the page or layout that renders it.",
    forbidden: ["^@/(app|server)(/|$)", "^(\\.\\./)+(src/)?(app|server)(/|$)"],
  },
  {
    files: ["src/i18n/**"],
    message:
      "src/i18n is how a request's language is chosen and its texts found: pages, components and the server use it, so it must not import them.",
    forbidden: ["^@/(app|components|server)(/|$)", "^(\\.\\./)+(src/)?(app|components|server)(/|$)"],
  },
  {
    files: ["src/server/**"],
    message:
      "src/server holds the adapters and the edge helpers that pages use: it must not import from src/app (dependencies point app -> server -> core).",
    forbidden: ["^@/app(/|$)", "^(\\.\\./)+(src/)?app(/|$)"],
  },
];

const config = [
  ...next,
  ...nextTs,
  {
    ignores: [
      "src/generated/**",
      ".next/**",
      ".data/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through src/server/env.ts.",
        },
      ],
    },
  },
  {
    files: [
      "src/server/env.ts",
      "server.mjs",
      "scripts/**",
      "tests/**",
      "e2e/**",
      "prisma/**",
      "*.config.*",
      "playwright.config.ts",
    ],
    rules: { "no-restricted-syntax": "off" },
  },
  ...layers.map(({ files, message, forbidden }) => ({
    files,
    rules: { "no-restricted-imports": ["error", { patterns: forbidden.map((regex) => ({ regex, message })) }] },
  })),
];

export default config;
