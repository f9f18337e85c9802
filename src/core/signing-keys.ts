import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";

/** The algorithms this service signs with. Verification is pinned to the key's own algorithm. */
export const SIGNING_ALGORITHMS = ["ES256", "EdDSA"] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export interface PrivateJwk extends JWK {
  kid: string;
  alg: SigningAlgorithm;
  d: string;
}

export interface KeyRing {
  /** The first key of the set signs; every key verifies (rotation keeps old tokens valid). */
  signing: { kid: string; alg: SigningAlgorithm; key: CryptoKey };
  verifying: Map<string, { alg: SigningAlgorithm; key: CryptoKey }>;
  /** Public halves only: what /.well-known/jwks.json serves. */
  publicJwks: { keys: JWK[] };
}

export async function generateSigningKey(alg: SigningAlgorithm = "ES256"): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg, use: "sig", d: jwk.d ?? "" };
}

function publicHalf(jwk: PrivateJwk): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return { ...rest, use: "sig" };
}

export async function loadKeyRing(keys: PrivateJwk[]): Promise<KeyRing> {
  const first = keys[0];
  if (!first) throw new Error("the signing key set is empty");
  const verifying = new Map<string, { alg: SigningAlgorithm; key: CryptoKey }>();
  for (const jwk of keys) {
    if (verifying.has(jwk.kid)) throw new Error(`duplicate kid in the signing key set: ${jwk.kid}`);
    const publicKey = (await importJWK(publicHalf(jwk), jwk.alg)) as CryptoKey;
    verifying.set(jwk.kid, { alg: jwk.alg, key: publicKey });
  }
  const signingKey = (await importJWK(first, first.alg)) as CryptoKey;
  return {
    signing: { kid: first.kid, alg: first.alg, key: signingKey },
    verifying,
    publicJwks: { keys: keys.map(publicHalf) },
  };
}
