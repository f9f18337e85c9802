import { describe, expect, it } from "vitest";
import { createSecretBox, deriveKey } from "@/core/crypto";

const box = createSecretBox(deriveKey("a".repeat(32), "totp-secrets"));

describe("the secret box (secrets at rest)", () => {
  it("opens what it sealed, and never stores the plaintext", () => {
    const sealed = box.seal("JBSWY3DPEHPK3PXP");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(box.open(sealed)).toBe("JBSWY3DPEHPK3PXP");
  });

  it("seals the same secret differently each time (a fresh nonce)", () => {
    expect(box.seal("same")).not.toBe(box.seal("same"));
  });

  it("refuses a sealed value that was altered, or sealed under another key or for another purpose", () => {
    const sealed = box.seal("JBSWY3DPEHPK3PXP");
    const [version, nonce, body, tag] = sealed.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    expect(() => box.open([version, nonce, flipped.toString("base64url"), tag].join("."))).toThrow();
    expect(() => box.open([version, nonce, body, Buffer.alloc(16).toString("base64url")].join("."))).toThrow();
    expect(() => createSecretBox(deriveKey("b".repeat(32), "totp-secrets")).open(sealed)).toThrow();
    expect(() => createSecretBox(deriveKey("a".repeat(32), "other-purpose")).open(sealed)).toThrow();
    for (const junk of ["", "v1", "v2.a.b.c", `${sealed}.extra`]) expect(() => box.open(junk)).toThrow();
  });

  it("needs a 256-bit key", () => {
    expect(() => createSecretBox(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});
