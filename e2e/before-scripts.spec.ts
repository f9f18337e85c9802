/**
 * The pages as a browser has them before their scripts run (a slow phone, a page just navigated
 * to): here with JavaScript off, which is the same HTML for as long as it lasts. A control that
 * needs scripts (a passkey ceremony, "Continue with", a confirmation dialog, a form sent by fetch)
 * is disabled, so a click is not silently lost; Enter in a field submits nothing it should not: not
 * the account deletion without its confirmation, not the passkey form as a GET that would put its
 * fields in the URL.
 */
import { OIDC_DISPLAY_NAME } from "../scripts/lib/oidc-sign-in-file";
import type { Page } from "@playwright/test";
import { expect, test as base, type User } from "./fixtures";

interface Scriptless {
  user: User;
  /** A page whose scripts never run, with the cookies of a browser that signed `user` in. */
  page: Page;
  /** The URLs of the POST requests `page` has sent. */
  posts: string[];
}

const test = base.extend<{ scriptless: () => Promise<Scriptless> }>({
  scriptless: async ({ newUser, signedIn, device }, provide) => {
    await provide(async () => {
      const user = await newUser();
      const laptop = await signedIn("laptop", user);
      const { page } = await device("laptop", {
        javaScriptEnabled: false,
        storageState: await laptop.context.storageState(),
      });
      const posts: string[] = [];
      page.on("request", (request) => {
        if (request.method() === "POST") posts.push(request.url());
      });
      return { user, page, posts };
    });
  },
});

test("before scripts run: the sign-in page's buttons wait for them; the language switcher does not", async ({
  device,
}) => {
  const { page } = await device("laptop", { javaScriptEnabled: false });
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeDisabled();
  await expect(page.getByRole("button", { name: `Continue with ${OIDC_DISPLAY_NAME}` })).toBeDisabled();
  // A plain form posting to a server action: it works without scripts.
  await page.getByRole("button", { name: "简体中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("button", { name: "登录", exact: true })).toBeDisabled();
});

test("before scripts run: Enter in the delete-account password field deletes nothing", async ({ scriptless, api }) => {
  const { user, page, posts } = await scriptless();
  await page.goto("/settings/account");
  const form = page.getByRole("form", { name: "Delete account" });
  const password = form.getByLabel("Password", { exact: true });
  await password.fill(user.password);
  await password.press("Enter");
  await page.waitForLoadState("load");
  expect(posts, "nothing was sent").toEqual([]);
  expect((await api.signIn(user.email, user.password)).status, "the account is still there").toBe(200);
  await page.goto("/settings/account");
  await expect(page, "and this browser still signed in").toHaveURL(/\/settings\/account(\?|$)/);
  await expect(form.getByRole("button", { name: "Delete account", exact: true })).toBeDisabled();
});

test("before scripts run: the add-a-passkey form cannot be sent, so its fields never reach a URL", async ({
  scriptless,
}) => {
  const { page, posts } = await scriptless();
  await page.goto("/settings/security");
  const section = page.getByRole("region", { name: "Passkeys" });
  const name = section.getByLabel("Passkey name");
  await name.fill("Sent too early");
  await name.press("Enter");
  await page.waitForLoadState("load");
  expect(new URL(page.url()).search, "no query string").toBe("");
  expect(posts, "nothing was sent").toEqual([]);
  await expect(section.getByRole("button", { name: "Remove Sent too early" }), "and no passkey").toHaveCount(0);
  await expect(section.getByRole("button", { name: "Add a passkey" })).toBeDisabled();
});

test("before scripts run: the forms that need them cannot be sent; Sign out, a plain post, works", async ({
  scriptless,
  api,
}) => {
  const { user, page, posts } = await scriptless();
  await page.goto("/settings/password");
  await expect(page.getByRole("button", { name: "Change password", exact: true })).toBeDisabled();
  await page.getByLabel("Current password", { exact: true }).fill(user.password);
  await page.getByLabel("New password", { exact: true }).fill("a password never sent");
  await page.getByLabel("New password", { exact: true }).press("Enter");
  await page.waitForLoadState("load");
  expect(posts, "nothing was sent").toEqual([]);
  expect((await api.signIn(user.email, user.password)).status, "the password is unchanged").toBe(200);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await page.goto("/devices");
  await expect(page, "signed out for real").toHaveURL(/\/login(\?|$)/);
});
