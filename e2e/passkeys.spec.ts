/**
 * Passkeys in Chromium with its virtual authenticator (CDP WebAuthn domain): add one on
 * /settings/security, sign out, "Sign in with a passkey", remove it, and a sign-in with the removed
 * credential (still on the authenticator) is refused with a readable message. The app runs on
 * localhost (playwright.config.ts): WebAuthn refuses an IP address as relying party id.
 */
import type { Page } from "@playwright/test";
import { errorAlert, expect, test } from "./fixtures";

const SIGN_IN_REFUSED = /Failed to load resource: the server responded with a status of 401/;

/** A platform authenticator with resident keys and user verification that always says yes. */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    async credentials() {
      return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
    },
  };
}

test("add a passkey, sign in with it, remove it: the removed passkey is refused", async ({
  newUser,
  signedIn,
  consoleErrors,
}) => {
  const user = await newUser();
  const { page } = await signedIn("laptop", user);
  const authenticator = await addVirtualAuthenticator(page);

  await page.goto("/settings/security");
  const section = page.getByRole("region", { name: "Passkeys" });
  await expect(section.getByText("You have no passkeys yet.")).toBeVisible();
  await section.getByLabel("Passkey name").fill("Test key");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByRole("status")).toContainText("Passkey “Test key” added.");
  const passkeys = section.getByRole("list", { name: "Your passkeys" }).getByRole("listitem");
  await expect(passkeys).toHaveCount(1);
  await expect(passkeys.first()).toContainText("Test key");
  await expect(passkeys.first()).toContainText("Created");
  await expect(passkeys.first()).toContainText("Last used never");
  const stored = await authenticator.credentials();
  expect(stored).toHaveLength(1);
  expect(stored[0]!.isResidentCredential).toBe(true);
  expect(stored[0]!.rpId).toBe("localhost");

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(/\/devices(\?|$)/);
  await expect(page.getByRole("heading", { name: "Devices", exact: true })).toBeVisible();
  await expect(page.getByRole("banner")).toContainText(user.email);

  // Signed in with the passkey a moment ago: removing it asks no password (re-authentication is recent).
  await page.goto("/settings/security");
  await expect(passkeys.first()).not.toContainText("Last used never");
  await section.getByRole("button", { name: "Remove Test key" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove the passkey “Test key”?" });
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expect(dialog.getByLabel("Password")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Yes, remove it" }).click();
  await expect(section.getByText("You have no passkeys yet.")).toBeVisible();
  expect(await authenticator.credentials()).toHaveLength(1); // the authenticator still holds it

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login(\?|$)/);
  consoleErrors.allow(SIGN_IN_REFUSED);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(errorAlert(page)).toContainText(
    "This passkey is not recognised. It may have been removed from its account.",
  );
  await page.goto("/devices");
  await expect(page, "no session behind the refusal").toHaveURL(/\/login(\?|$)/);
});
