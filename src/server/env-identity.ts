import { z } from "zod";

/**
 * The identity providers of the environment (see env.ts, which composes it): one generic OpenID
 * Connect provider (OIDC_*, all four or none) and GitHub (GITHUB_ID and GITHUB_SECRET, both or none).
 */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

export const identityEnvFields = {
  /** The provider's issuer URL; its discovery document is <OIDC_ISSUER>/.well-known/openid-configuration. */
  OIDC_ISSUER: optionalText
    .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), "must be an http:// or https:// URL")
    .transform((v) => v?.replace(/\/+$/, "")),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  /** The name on the sign-in button: "Continue with <OIDC_DISPLAY_NAME>". */
  OIDC_DISPLAY_NAME: optionalText.refine((v) => v === undefined || v.length <= 40, "must be at most 40 characters"),
  GITHUB_ID: optionalText,
  GITHUB_SECRET: optionalText,
};

const OIDC = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_DISPLAY_NAME"] as const;
const GITHUB = ["GITHUB_ID", "GITHUB_SECRET"] as const;

/** A provider half configured stops the boot, naming each missing variable. */
export function checkIdentityEnv(
  env: Partial<Record<(typeof OIDC)[number] | (typeof GITHUB)[number], string | undefined>>,
  ctx: z.RefinementCtx,
): void {
  for (const group of [OIDC, GITHUB]) {
    const set = group.filter((name) => env[name] !== undefined);
    if (set.length === 0 || set.length === group.length) continue;
    for (const name of group)
      if (env[name] === undefined)
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `is required when ${set.join(", ")} ${set.length === 1 ? "is" : "are"} set (${group.join(", ")}: all or none)`,
        });
  }
}
