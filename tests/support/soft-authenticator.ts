/**
 * A software WebAuthn authenticator for Node tests: P-256 key pairs (node:crypto), discoverable
 * credentials, attestation "none". It answers the options the engine hands out exactly as a
 * browser and a platform authenticator would (clientDataJSON, authenticatorData, an ES256
 * signature), so the tests exercise @simplewebauthn/server's real verification. Only the test
 * decides what to fake: the origin, the counter, user verification.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

interface SoftCredential {
  id: string;
  rpId: string;
  /** base64url, as the creation options gave it (user.id). */
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

function counterBytes(counter: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter);
  return bytes;
}

/** The COSE_Key (RFC 9053) of an EC2 P-256 public key for ES256. */
function coseKey(privateKey: KeyObject): Uint8Array {
  const jwk = privateKey.export({ format: "jwk" });
  const key = new Map<number, number | Uint8Array>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, Buffer.from(jwk.x!, "base64url")],
    [-3, Buffer.from(jwk.y!, "base64url")],
  ]);
  return isoCBOR.encode(key);
}

export interface CeremonyOptions {
  /** The origin the "browser" reports in clientDataJSON (a phishing site's, to test refusal). */
  origin: string;
  /** The signature counter to report; by default the credential's last one plus one. */
  counter?: number;
  /** Whether the authenticator verified the user (PIN, biometrics). Default true. */
  userVerified?: boolean;
}

export class SoftAuthenticator {
  readonly credentials = new Map<string, SoftCredential>();

  /** Answers `navigator.credentials.create(options)`: a new discoverable credential. */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    ceremony: CeremonyOptions,
  ): RegistrationResponseJSON & { id: string } {
    const rpId = options.rp.id ?? new URL(ceremony.origin).hostname;
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const idBytes = randomBytes(16);
    const id = b64url(idBytes);
    const counter = ceremony.counter ?? 0;
    this.credentials.set(id, { id, rpId, userHandle: options.user.id, privateKey, counter });
    const publicKey = coseKey(privateKey);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(idBytes.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([FLAG_UP | (ceremony.userVerified === false ? 0 : FLAG_UV) | FLAG_AT]),
      counterBytes(counter),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      idBytes,
      publicKey,
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", new Uint8Array(authData)],
      ]),
    );
    const clientData = {
      type: "webauthn.create",
      challenge: options.challenge,
      origin: ceremony.origin,
      crossOrigin: false,
    };
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(JSON.stringify(clientData)),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /**
   * Answers `navigator.credentials.get(options)` with `credentialId` (by default the only or the
   * first credential of the options' RP id): an assertion signed with its private key.
   */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    ceremony: CeremonyOptions & { credentialId?: string },
  ): AuthenticationResponseJSON {
    const rpId = options.rpId ?? new URL(ceremony.origin).hostname;
    const credential = ceremony.credentialId
      ? this.credentials.get(ceremony.credentialId)
      : [...this.credentials.values()].find((c) => c.rpId === rpId);
    if (!credential) throw new Error("The soft authenticator has no credential for this RP id.");
    const counter = ceremony.counter ?? credential.counter + 1;
    credential.counter = Math.max(credential.counter, counter);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([FLAG_UP | (ceremony.userVerified === false ? 0 : FLAG_UV)]),
      counterBytes(counter),
    ]);
    const clientDataJSON = JSON.stringify({
      type: "webauthn.get",
      challenge: options.challenge,
      origin: ceremony.origin,
    });
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}
