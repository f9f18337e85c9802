import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { z } from "zod";
import type { AccessClaims } from "./access-claims";
import { logAuthEvent } from "./auth-events-log";
import { sha256 } from "./crypto";
import type { EngineDeps } from "./deps";
import type { EngineParts } from "./engine-parts";
import { AuthError, errorMessage } from "./errors";
import { identifyDevice } from "./new-device";
import type { ChallengePurpose, PasskeyRecord } from "./ports";
import type { RequestContext, TokenPair } from "./session-engine";
import { changedBy } from "./sign-in-method-changes";
import { CONTROL_CHARACTERS, optionalText, parseInput } from "./validation";
import { engineText } from "./messages";

/** A passkey as its owner sees it on the security page. */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The engine's verbs for passkeys (WebAuthn, discoverable credentials). */
export interface PasskeyVerbs {
  listPasskeys(claims: AccessClaims): Promise<PasskeyView[]>;
  /** Options for `navigator.credentials.create` (re-authentication applies); the challenge is single use and short-lived. */
  passkeyRegistrationOptions(
    claims: AccessClaims,
    input: { password?: string },
    context: RequestContext,
  ): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /** Verifies the authenticator's answer (challenge, origin, RP id) and stores the passkey under `name`. */
  addPasskey(
    claims: AccessClaims,
    input: { name: string; response: RegistrationResponseJSON },
    context: RequestContext,
  ): Promise<PasskeyView>;
  /** Removes one of the caller's passkeys (re-authentication applies); `conflict` if it is the last way in. */
  removePasskey(
    claims: AccessClaims,
    passkeyId: string,
    input: { password?: string },
    context: RequestContext,
  ): Promise<void>;
  /** Options for `navigator.credentials.get` with no account named (discoverable credentials). */
  passkeySignInOptions(context: RequestContext): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /**
   * Verifies an assertion (challenge, origin, RP id, user verification, counter) and makes a
   * device session like a password sign-in (`amr` ["hwk", "user"]); it satisfies re-authentication.
   */
  signInWithPasskey(
    input: { response: AuthenticationResponseJSON; deviceName?: string },
    context: RequestContext,
  ): Promise<TokenPair>;
}

/** How long a WebAuthn ceremony's challenge can be answered (and the browser's timeout). */
export const PASSKEY_CHALLENGE_TTL_SECONDS = 300;
export const PASSKEY_NAME_MAX = 64;
/** Keeps the security page (and `excludeCredentials`) short; a person has a handful of devices. */
export const MAX_PASSKEYS_PER_ACCOUNT = 20;

/** A passkey's name: trimmed, at most 64 characters; empty means "name it after this device". */
export const passkeyNameSchema = z
  .string({ error: engineText("passkey.nameNotText") })
  .trim()
  .max(PASSKEY_NAME_MAX, engineText("passkey.nameTooLong", { max: PASSKEY_NAME_MAX }))
  .refine((value) => !CONTROL_CHARACTERS.test(value), engineText("passkey.nameControl"));

const base64url = z
  .string()
  .max(8192)
  .regex(/^[A-Za-z0-9_-]*$/, engineText("passkey.notBase64url"));

/** The shape of a browser's answer, checked before any of it is decoded (the library checks the rest). */
export const registrationResponseSchema = z.looseObject({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: base64url.min(1),
    attestationObject: base64url.min(1),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

export const authenticationResponseSchema = z.looseObject({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: base64url.min(1),
    authenticatorData: base64url.min(1),
    signature: base64url.min(1),
    userHandle: base64url.optional(),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

export const addPasskeySchema = z.object({
  name: passkeyNameSchema.default(""),
  response: registrationResponseSchema,
});

export const passkeySignInSchema = z.object({
  response: authenticationResponseSchema,
  deviceName: optionalText(100, "deviceName"),
});

const TRANSPORTS = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);

function toView(passkey: PasskeyRecord): PasskeyView {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  };
}

/** The challenge the browser signed, read from clientDataJSON (null when it cannot be read). */
function signedChallenge(clientDataJSON: string): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    const challenge = (data as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === "string" && challenge.length > 0 && challenge.length <= 512 ? challenge : null;
  } catch {
    return null;
  }
}

/**
 * Why the library refused an answer, as a code for the log: its messages quote the challenge, and
 * a challenge is never logged.
 */
function refusalReason(error: unknown): string {
  const message = errorMessage(error);
  if (/counter/i.test(message)) return "passkey_counter_went_backwards";
  if (/origin/i.test(message)) return "passkey_wrong_origin";
  if (/rp ?id/i.test(message)) return "passkey_wrong_rp_id";
  if (/user verification|user could not be verified/i.test(message)) return "passkey_user_not_verified";
  return "passkey_not_verified";
}

const STALE_REGISTRATION = engineText("passkey.staleRegistration");
const STALE_SIGN_IN = engineText("passkey.staleSignIn");
const NOT_RECOGNISED = engineText("passkey.notRecognised");

export function createPasskeyVerbs(deps: EngineDeps, parts: EngineParts): PasskeyVerbs {
  const { config, users, challenges, signInMethods, clock, logger, rateLimits } = deps;
  const { reauthenticate, startSession, announce } = parts;
  const rpID = new URL(config.appOrigin).hostname;
  const expectedOrigin = new URL(config.appOrigin).origin;

  async function storeChallenge(challenge: string, purpose: ChallengePurpose, userId: string | null): Promise<void> {
    const nowMs = clock();
    await challenges.create({
      tokenHash: sha256(challenge),
      purpose,
      userId,
      epoch: null,
      deviceName: null,
      createdAt: new Date(nowMs),
      expiresAt: new Date(nowMs + PASSKEY_CHALLENGE_TTL_SECONDS * 1000),
    });
  }

  /** Uses up the challenge the answer signed (whatever happens next): the challenge and its record, or null. */
  async function takeChallenge(clientDataJSON: string, purpose: ChallengePurpose) {
    const challenge = signedChallenge(clientDataJSON);
    if (!challenge) return null;
    const record = await challenges.consume(sha256(challenge), purpose, new Date(clock()));
    return record ? { challenge, record } : null;
  }

  async function refuseSignIn(context: RequestContext, reason: string, userId?: string): Promise<never> {
    await rateLimits.passkeySignInFailed(context.ip);
    logAuthEvent(logger, "sign_in_failed", { userId: userId ?? null, ip: context.ip, reason });
    if (reason === "passkey_counter_went_backwards") {
      // Two authenticators answering with one key: a cloned (or restored) authenticator.
      logger.warn("passkey_possible_clone", { userId: userId ?? null, ip: context.ip });
    }
    const message =
      reason === "passkey_challenge_unknown"
        ? STALE_SIGN_IN
        : reason === "passkey_unknown"
          ? NOT_RECOGNISED
          : engineText("passkey.notVerifiedTryAgain");
    throw new AuthError("invalid_grant", message);
  }

  return {
    async listPasskeys(claims) {
      return (await signInMethods.listPasskeys(claims.sub)).map(toView);
    },

    async passkeyRegistrationOptions(claims, input, context) {
      const user = await reauthenticate(claims, input.password, context);
      const existing = await signInMethods.listPasskeys(user.id);
      if (existing.length >= MAX_PASSKEYS_PER_ACCOUNT) {
        throw new AuthError("conflict", engineText("passkey.tooMany", { max: MAX_PASSKEYS_PER_ACCOUNT }));
      }
      const options = await generateRegistrationOptions({
        rpName: config.appName,
        rpID,
        userName: user.email,
        userDisplayName: user.name ?? user.email,
        userID: new TextEncoder().encode(user.id),
        timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
        attestationType: "none",
        excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
        authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "preferred" },
      });
      await storeChallenge(options.challenge, "passkey_registration", user.id);
      return options;
    },

    async addPasskey(claims, input, context) {
      const parsed = parseInput(addPasskeySchema, input);
      const name = parsed.name;
      const response = parsed.response as RegistrationResponseJSON;
      const taken = await takeChallenge(response.response.clientDataJSON, "passkey_registration");
      if (!taken || taken.record.userId !== claims.sub) throw new AuthError("invalid_grant", STALE_REGISTRATION);
      const user = await users.findById(claims.sub);
      if (!user) throw new AuthError("invalid_grant", STALE_REGISTRATION);
      let verification;
      try {
        verification = await verifyRegistrationResponse({
          response,
          expectedChallenge: taken.challenge,
          expectedOrigin,
          expectedRPID: rpID,
          requireUserVerification: false,
        });
      } catch (error) {
        logger.info("passkey_registration_refused", { userId: user.id, reason: refusalReason(error) });
        throw new AuthError("invalid_grant", engineText("passkey.notVerifiedTryAgain"));
      }
      if (!verification.verified) throw new AuthError("invalid_grant", engineText("passkey.notVerified"));
      const { credential } = verification.registrationInfo;
      const now = new Date(clock());
      const record: PasskeyRecord = {
        id: credential.id,
        userId: user.id,
        name: name || `Passkey on ${identifyDevice(context.userAgent).label}`.slice(0, PASSKEY_NAME_MAX),
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: (response.response.transports ?? []).filter((t) => TRANSPORTS.has(t)),
        createdAt: now,
        lastUsedAt: null,
      };
      if (!(await signInMethods.addPasskey(record))) {
        throw new AuthError("conflict", engineText("passkey.alreadyRegistered"));
      }
      await announce(user, "passkey_added", changedBy(claims, context), { detail: record.name });
      return toView(record);
    },

    async removePasskey(claims, passkeyId, input, context) {
      const user = await reauthenticate(claims, input.password, context);
      const passkey = (await signInMethods.listPasskeys(user.id)).find((p) => p.id === passkeyId);
      const notFound = new AuthError("not_found", engineText("passkey.noSuch"));
      if (!passkey) throw notFound;
      const result = await signInMethods.removeWayIn(user.id, { kind: "passkey", id: passkeyId });
      if (result === "not_found") throw notFound;
      if (result === "last_way_in") {
        throw new AuthError("conflict", engineText("passkey.lastWayIn"));
      }
      await announce(user, "passkey_removed", changedBy(claims, context), { detail: passkey.name });
    },

    async passkeySignInOptions(context) {
      // Each sign-in needs fresh options (its challenge is single use): counted like sign-in attempts.
      await rateLimits.beforeSignIn(context.ip);
      await rateLimits.beforePasskeySignIn(context.ip);
      const options = await generateAuthenticationOptions({
        rpID,
        userVerification: "required",
        timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
      });
      await storeChallenge(options.challenge, "passkey_sign_in", null);
      return options;
    },

    async signInWithPasskey(input, context) {
      await rateLimits.beforePasskeySignIn(context.ip);
      const parsed = parseInput(passkeySignInSchema, input);
      const response = parsed.response as AuthenticationResponseJSON;
      const taken = await takeChallenge(response.response.clientDataJSON, "passkey_sign_in");
      if (!taken) return refuseSignIn(context, "passkey_challenge_unknown");
      const passkey = await signInMethods.findPasskey(response.id);
      if (!passkey) return refuseSignIn(context, "passkey_unknown");
      const handle = response.response.userHandle;
      if (handle && handle !== Buffer.from(passkey.userId).toString("base64url")) {
        return refuseSignIn(context, "passkey_unknown", passkey.userId);
      }
      const user = await users.findById(passkey.userId);
      if (!user) return refuseSignIn(context, "passkey_unknown");
      let newCounter: number;
      try {
        const verification = await verifyAuthenticationResponse({
          response,
          expectedChallenge: taken.challenge,
          expectedOrigin,
          expectedRPID: rpID,
          credential: {
            id: passkey.id,
            publicKey: new Uint8Array(passkey.publicKey),
            counter: passkey.counter,
            transports: passkey.transports,
          },
          requireUserVerification: true,
        });
        if (!verification.verified) return refuseSignIn(context, "passkey_not_verified", user.id);
        newCounter = verification.authenticationInfo.newCounter;
      } catch (error) {
        return refuseSignIn(context, refusalReason(error), user.id);
      }
      // Compare-and-set: of two answers with one counter value, one wins; a removed passkey loses.
      const recorded = await signInMethods.recordPasskeyUse(passkey.id, {
        expectedCounter: passkey.counter,
        newCounter,
        now: new Date(clock()),
      });
      if (!recorded) return refuseSignIn(context, "passkey_used_meanwhile_or_removed", user.id);
      return startSession(user, { method: "passkey", amr: ["hwk", "user"], deviceName: parsed.deviceName }, context);
    },
  };
}
