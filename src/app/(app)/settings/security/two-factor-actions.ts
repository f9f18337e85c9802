"use server";

import QRCode from "qrcode";
import { z } from "zod";
import { isAuthError } from "@/core/errors";
import { existingPasswordSchema, parseInput } from "@/core/validation";
import { actionClientContext, formFields, toActionFailure } from "@/server/auth/action-result";
import { requireSession } from "@/server/auth/current-session";
import { totpCodeSchema } from "@/server/http/two-factor-schemas";
import { getServices } from "@/server/services";

const PAGE = "/settings/security";

/** An empty password field means "none given": a recent sign-in may do without it (re-authentication). */
const optionalPasswordForm = z.object({
  password: z.preprocess((value) => (value === "" ? undefined : value), existingPasswordSchema.optional()),
});
const confirmForm = z.object({ code: totpCodeSchema });
const disableForm = z.object({ password: existingPasswordSchema });

interface Failure {
  status: "error";
  message: string;
  fields: { password?: string[]; code?: string[] };
  /** The engine asked for the password again (an old sign-in): the form shows the password field. */
  needsPassword: boolean;
}

type Verbs = Awaited<ReturnType<typeof getServices>>["engine"];
type Claims = Awaited<ReturnType<typeof requireSession>>["claims"];
type Context = Awaited<ReturnType<typeof actionClientContext>>;

/**
 * One engine verb for the signed-in user (signed out: to /login): what `work` answers, or what the
 * form shows of its failure (never a stack trace).
 */
async function forSignedIn<T>(
  work: (engine: Verbs, claims: Claims, context: Context) => Promise<T>,
): Promise<T | Failure> {
  const { claims } = await requireSession(PAGE);
  try {
    const { engine } = await getServices();
    return await work(engine, claims, await actionClientContext());
  } catch (error) {
    const failure = await toActionFailure(error);
    const needsPassword = isAuthError(error) && error.code === "insufficient_user_authentication";
    return { status: "error", message: failure.message, fields: failure.fields, needsPassword };
  }
}

export type TotpSetupState =
  | { status: "idle" }
  | Failure
  /** The secret as text (the "Setup key") and as a QR code (SVG markup, drawn on the server). */
  | { status: "setup"; secret: string; qrSvg: string };

/** Starts set-up: a new pending secret, shown as a QR code and as text. */
export async function beginTotpSetupAction(_prev: unknown, formData: unknown): Promise<TotpSetupState> {
  return forSignedIn(async (engine, claims, context) => {
    const input = parseInput(optionalPasswordForm, formFields(formData, ["password"]));
    const setup = await engine.beginTotpSetup(claims, input, context);
    const qrSvg = await QRCode.toString(setup.otpauthUri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
    return { status: "setup", secret: setup.secret, qrSvg } as const;
  });
}

export type RecoveryCodesState = { status: "idle" } | Failure | { status: "codes"; recoveryCodes: string[] };

/** Turns two-factor authentication on with a code from the app: the recovery codes, shown once. */
export async function confirmTotpAction(_prev: unknown, formData: unknown): Promise<RecoveryCodesState> {
  return forSignedIn(async (engine, claims, context) => {
    const input = parseInput(confirmForm, formFields(formData, ["code"]));
    return { status: "codes", ...(await engine.confirmTotp(claims, input, context)) } as const;
  });
}

/** Ten new recovery codes, the old ones void. */
export async function regenerateRecoveryCodesAction(_prev: unknown, formData: unknown): Promise<RecoveryCodesState> {
  return forSignedIn(async (engine, claims, context) => {
    const input = parseInput(optionalPasswordForm, formFields(formData, ["password"]));
    return { status: "codes", ...(await engine.regenerateRecoveryCodes(claims, input, context)) } as const;
  });
}

export type DisableTotpState = { status: "idle" } | Failure | { status: "done" };

/** Turns two-factor authentication off (the password is always asked). */
export async function disableTotpAction(_prev: unknown, formData: unknown): Promise<DisableTotpState> {
  return forSignedIn(async (engine, claims, context) => {
    await engine.disableTotp(claims, parseInput(disableForm, formFields(formData, ["password"])), context);
    return { status: "done" } as const;
  });
}
