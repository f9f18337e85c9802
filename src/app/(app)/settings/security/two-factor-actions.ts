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

async function failed(error: unknown): Promise<Failure> {
  const failure = await toActionFailure(error);
  const needsPassword = isAuthError(error) && error.code === "insufficient_user_authentication";
  return { status: "error", message: failure.message, fields: failure.fields, needsPassword };
}

export type TotpSetupState =
  | { status: "idle" }
  | Failure
  /** The secret as text (the "Setup key") and as a QR code (SVG markup, drawn on the server). */
  | { status: "setup"; secret: string; qrSvg: string };

/** Starts set-up: a new pending secret, shown as a QR code and as text. */
export async function beginTotpSetupAction(_prev: unknown, formData: unknown): Promise<TotpSetupState> {
  const session = await requireSession(PAGE);
  try {
    const input = parseInput(optionalPasswordForm, formFields(formData, ["password"]));
    const { engine } = await getServices();
    const setup = await engine.beginTotpSetup(session.claims, input, await actionClientContext());
    const qrSvg = await QRCode.toString(setup.otpauthUri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
    return { status: "setup", secret: setup.secret, qrSvg };
  } catch (error) {
    return failed(error);
  }
}

export type RecoveryCodesState = { status: "idle" } | Failure | { status: "codes"; recoveryCodes: string[] };

/** Turns two-factor authentication on with a code from the app: the recovery codes, shown once. */
export async function confirmTotpAction(_prev: unknown, formData: unknown): Promise<RecoveryCodesState> {
  const session = await requireSession(PAGE);
  try {
    const input = parseInput(confirmForm, formFields(formData, ["code"]));
    const { engine } = await getServices();
    const { recoveryCodes } = await engine.confirmTotp(session.claims, input, await actionClientContext());
    return { status: "codes", recoveryCodes };
  } catch (error) {
    return failed(error);
  }
}

/** Ten new recovery codes, the old ones void. */
export async function regenerateRecoveryCodesAction(_prev: unknown, formData: unknown): Promise<RecoveryCodesState> {
  const session = await requireSession(PAGE);
  try {
    const input = parseInput(optionalPasswordForm, formFields(formData, ["password"]));
    const { engine } = await getServices();
    const { recoveryCodes } = await engine.regenerateRecoveryCodes(session.claims, input, await actionClientContext());
    return { status: "codes", recoveryCodes };
  } catch (error) {
    return failed(error);
  }
}

export type DisableTotpState = { status: "idle" } | Failure | { status: "done" };

/** Turns two-factor authentication off (the password is always asked). */
export async function disableTotpAction(_prev: unknown, formData: unknown): Promise<DisableTotpState> {
  const session = await requireSession(PAGE);
  try {
    const input = parseInput(disableForm, formFields(formData, ["password"]));
    const { engine } = await getServices();
    await engine.disableTotp(session.claims, input, await actionClientContext());
    return { status: "done" };
  } catch (error) {
    return failed(error);
  }
}
