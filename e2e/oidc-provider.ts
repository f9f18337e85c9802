/**
 * The e2e run's OpenID Connect provider (scripts/lib/oidc-provider.ts), started by global-setup.ts
 * next to the mail capture: the app gets its OIDC_* (`env`), and specs choose the next sign-in's
 * claims through the folder in E2E_OIDC_DIR (`nextOidcSignIn`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { require as tsxRequire } from "tsx/cjs/api";
import type * as OidcProviderModule from "../scripts/lib/oidc-provider";

export interface E2eOidcProvider {
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startE2eOidcProvider(): Promise<E2eOidcProvider> {
  const { startOidcProvider } = tsxRequire("../scripts/lib/oidc-provider.ts", __filename) as typeof OidcProviderModule;
  const dir = await mkdtemp(path.join(tmpdir(), "e2e-oidc-"));
  const provider = await startOidcProvider({ dir });
  process.env.E2E_OIDC_DIR = dir; // worker processes inherit it
  return {
    env: provider.env,
    async close() {
      await provider.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
