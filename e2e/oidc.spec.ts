/**
 * Sign-in with OpenID Connect in the browser, against the run's own provider (e2e/oidc-provider.ts):
 * "Continue with Test SSO" signs in and the devices list says how; a password account connects the
 * provider from Security settings and then signs in with it. The tests share the provider's
 * "next sign-in" claims, so they run one after the other.
 */
import { setOidcSignIn, OIDC_DISPLAY_NAME, type OidcSignIn } from "../scripts/lib/oidc-sign-in-file";
import { uniqueEmail } from "../scripts/lib/api-client";
import { deviceRows, expect, test } from "./fixtures";

test.describe.configure({ mode: "serial" });

function nextOidcSignIn(signIn: OidcSignIn): void {
  setOidcSignIn(process.env.E2E_OIDC_DIR!, signIn);
}

const CONTINUE = `Continue with ${OIDC_DISPLAY_NAME}`;

test("“Continue with <provider>” signs in, and the devices list shows the provider as the way in", async ({
  device,
}) => {
  const email = uniqueEmail("e2e-oidc");
  nextOidcSignIn({ sub: `e2e-${email}`, email, email_verified: true, name: "Grace" });
  const { page } = await device("laptop");
  await page.goto("/login");
  await page.getByRole("button", { name: CONTINUE }).click();
  await expect(page).toHaveURL(/\/devices(\?|$)/);
  await expect(deviceRows(page)).toHaveCount(1);
  await expect(deviceRows(page).first()).toContainText(`With ${OIDC_DISPLAY_NAME}`);
});

test("a password account connects the provider from Security settings, signs in with it, and disconnects it", async ({
  newUser,
  signedIn,
  device,
}) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const sub = `e2e-connect-${user.email}`;
  nextOidcSignIn({ sub, email: uniqueEmail("e2e-work"), email_verified: true });
  const page = laptop.page;
  await page.goto("/settings/security");
  const section = page.getByRole("region", { name: "Connected accounts" });
  await section.getByRole("button", { name: `Connect ${OIDC_DISPLAY_NAME}` }).click();
  await expect(page).toHaveURL(/\/settings\/security\?connected=oidc/);
  await expect(section.getByRole("status")).toContainText(`${OIDC_DISPLAY_NAME} is connected`);
  await expect(section.getByRole("button", { name: `Disconnect ${OIDC_DISPLAY_NAME}` })).toBeVisible();
  await page.goto("/devices");
  await expect(deviceRows(page), "connecting makes no new session").toHaveCount(1);

  // Another browser, no password: the provider signs in to this same account.
  nextOidcSignIn({ sub, email: uniqueEmail("e2e-work"), email_verified: true });
  const phone = await device("phone");
  await phone.page.goto("/login");
  await phone.page.getByRole("button", { name: CONTINUE }).click();
  await expect(phone.page).toHaveURL(/\/devices(\?|$)/);
  await expect(deviceRows(phone.page)).toHaveCount(2);
  await expect(deviceRows(phone.page).filter({ hasText: `With ${OIDC_DISPLAY_NAME}` })).toHaveCount(1);
  await expect(deviceRows(phone.page).filter({ hasText: "With Password" })).toHaveCount(1);

  // Disconnecting (the password is still a way in): the page says so and offers "Connect" again.
  await page.goto("/settings/security");
  await section.getByRole("button", { name: `Disconnect ${OIDC_DISPLAY_NAME}` }).click();
  await expect(section.getByRole("status")).toContainText(`${OIDC_DISPLAY_NAME} was disconnected`);
  await expect(section.getByRole("button", { name: `Connect ${OIDC_DISPLAY_NAME}` })).toBeVisible();
});
