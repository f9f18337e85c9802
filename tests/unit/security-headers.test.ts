import { describe, expect, it } from "vitest";
import { referrerPolicyFor } from "@/server/http/security-headers";

describe("Referrer-Policy per page", () => {
  it("is no-referrer on the pages that receive an emailed link's token, and only there", () => {
    for (const path of ["/reset-password", "/verify-email", "/reset-password/", "/verify-email/"])
      expect(referrerPolicyFor(path), path).toBe("no-referrer");
    for (const path of ["/", "/login", "/forgot-password", "/settings/account", "/reset-password-x", "/x/verify-email"])
      expect(referrerPolicyFor(path), path).toBe("strict-origin-when-cross-origin");
  });
});
