/**
 * ECDSA is malleable: when the signature (r, s) of an ES256 token is valid, so is (r, n - s), computed
 * from the token alone, without the key. The app issues only the low-s form and refuses the other.
 */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** `s` of an ES256 token's raw signature (r || s, 32 bytes each). */
export function signatureS(token: string): bigint {
  return BigInt(`0x${Buffer.from(token.split(".")[2]!, "base64url").subarray(32).toString("hex")}`);
}

/** The same token with the signature's twin (r, n - s). */
export function signatureTwin(token: string): string {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const r = Buffer.from(signature, "base64url").subarray(0, 32);
  const s = Buffer.from((P256_ORDER - signatureS(token)).toString(16).padStart(64, "0"), "hex");
  return `${header}.${payload}.${Buffer.concat([r, s]).toString("base64url")}`;
}
