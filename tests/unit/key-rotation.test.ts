import { beforeAll, describe, expect, it } from "vitest";
import { KeyRotationError, nextKeySet } from "@/core/key-rotation";
import { generateSigningKey, loadKeyRing, type PrivateJwk } from "@/core/signing-keys";

let a: PrivateJwk, b: PrivateJwk, c: PrivateJwk, d: PrivateJwk;
beforeAll(async () => {
  [a, b, c, d] = await Promise.all([
    generateSigningKey(),
    generateSigningKey(),
    generateSigningKey(),
    generateSigningKey(),
  ]);
});
const kids = (keys: PrivateJwk[]) => keys.map((k) => k.kid);

describe("signing-key rotation", () => {
  it("rotate: the new key signs at once and the previous two keep verifying", async () => {
    expect(kids(nextKeySet("rotate", [a], b))).toEqual([b.kid, a.kid]);
    expect(kids(nextKeySet("rotate", [c, b, a], d))).toEqual([d.kid, c.kid, b.kid]);
    const ring = await loadKeyRing(nextKeySet("rotate", [a], b));
    expect(ring.signing.kid).toBe(b.kid);
    expect([...ring.verifying.keys()]).toEqual([b.kid, a.kid]);
  });

  it("stage then promote: the new key is published before it signs, and the old signer keeps verifying", async () => {
    const staged = nextKeySet("stage", [a], b);
    expect(kids(staged)).toEqual([a.kid, b.kid]);
    expect((await loadKeyRing(staged)).signing.kid).toBe(a.kid); // still signing with the old key
    const promoted = nextKeySet("promote", staged, c);
    expect(kids(promoted)).toEqual([b.kid, a.kid]);
    expect((await loadKeyRing(promoted)).signing.kid).toBe(b.kid);
    // A second full cycle keeps the two previous keys at most.
    expect(kids(nextKeySet("promote", nextKeySet("stage", promoted, c), d))).toEqual([c.kid, b.kid, a.kid]);
  });

  it("refuses what would lose the signer or grow the set without bound", () => {
    expect(() => nextKeySet("promote", [a], b)).toThrow(KeyRotationError);
    expect(() => nextKeySet("rotate", [], b)).toThrow(KeyRotationError);
    expect(() => nextKeySet("stage", [a, b, c], d)).toThrow(/promote the staged key first/);
    expect(kids(nextKeySet("generate", [a, b], c))).toEqual([c.kid]);
  });
});
