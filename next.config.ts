import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm run typecheck` (tsc --noEmit, first step of `npm test`) checks the whole project, tests
  // included; checking again inside `next build` only doubled the build time.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // Native, WebAssembly or connection-pooling packages: load them from node_modules at run time
  // instead of bundling them.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "@prisma/driver-adapter-utils",
    "@prisma/adapter-pg",
    "pg",
    "ioredis",
    "@node-rs/argon2",
  ],
};

// next-intl: each request's language and messages come from src/i18n/request.ts.
export default createNextIntlPlugin("./src/i18n/request.ts")(nextConfig);
