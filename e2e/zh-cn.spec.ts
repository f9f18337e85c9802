/**
 * The main flows in a browser whose language is Simplified Chinese (context locale zh-CN, so its
 * Accept-Language asks for it): registering, signing in with a wrong and then the right password,
 * the devices list, logging out another device (which is told why, in Chinese), changing the
 * password, and the header's switcher, whose choice outlives a reload. The words are read from
 * messages/zh-CN/, so this spec follows the catalogue; that they are Chinese at all is checked too.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { errorAlert, expect, PASSWORD, test } from "./fixtures";
import { uniqueEmail } from "../scripts/lib/api-client";

type Tree = { [key: string]: string | Tree };

/** messages/zh-CN/<namespace>.json, read as the app reads them; `zh("devices.row.thisDevice")`. */
const catalogue: Tree = Object.fromEntries(
  readdirSync(path.join("messages", "zh-CN")).map((file) => [
    file.replace(/\.json$/, ""),
    JSON.parse(readFileSync(path.join("messages", "zh-CN", file), "utf8")) as Tree,
  ]),
);

function zh(key: string): string {
  const value = key.split(".").reduce<string | Tree | undefined>((node, part) => {
    return typeof node === "object" ? node[part] : undefined;
  }, catalogue);
  if (typeof value !== "string") throw new Error(`no zh-CN message ${key}`);
  expect(value, `${key} is Chinese`).toMatch(/\p{Script=Han}/u);
  return value;
}

const ZH = { locale: "zh-CN" } as const;
const NEW_PASSWORD = "a brand new passphrase 2026";

function rows(page: Page) {
  return page.getByRole("list", { name: zh("devices.listLabel") }).getByRole("listitem");
}

async function signInInChinese(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(zh("auth.fields.email"), { exact: true }).fill(email);
  await page.getByLabel(zh("auth.fields.password"), { exact: true }).fill(password);
  await page
    .getByRole("main")
    .getByRole("button", { name: zh("auth.signIn"), exact: true })
    .click();
}

test("in Chinese: register, sign in, log out the other device, change the password, switch to English", async ({
  device,
  consoleErrors,
}) => {
  const email = uniqueEmail("zh-cn");
  const laptop = await device("laptop", ZH);

  // Registering through the form signs this browser in.
  await laptop.page.goto("/register");
  await expect(laptop.page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(laptop.page.getByRole("heading", { level: 1 })).toHaveText(zh("auth.register.title"));
  await laptop.page.getByLabel(zh("auth.fields.email"), { exact: true }).fill(email);
  await laptop.page.getByLabel(zh("auth.fields.password"), { exact: true }).fill(PASSWORD);
  await laptop.page.getByRole("button", { name: zh("auth.register.submit"), exact: true }).click();
  await expect(laptop.page).toHaveURL(/\/devices(\?|$)/);
  await expect(laptop.page.getByRole("heading", { level: 1 })).toHaveText(zh("devices.title"));
  await expect(rows(laptop.page)).toHaveCount(1);
  await expect(rows(laptop.page).first()).toContainText(zh("devices.row.thisDevice"));
  await expect(rows(laptop.page).first()).toContainText("刚刚");

  // A wrong password is refused in Chinese (the engine's sentence, translated), the right one signs in.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/);
  const phone = await device("phone", ZH);
  await phone.page.goto("/login");
  await signInInChinese(phone.page, email, "not the password");
  await expect(errorAlert(phone.page)).toHaveText(zh("errors.account.wrongCredentials"));
  await signInInChinese(phone.page, email, PASSWORD);
  await expect(phone.page).toHaveURL(/\/devices(\?|$)/);
  await expect(rows(phone.page)).toHaveCount(2);

  // The laptop logs the phone out; the phone is sent to /login by itself and told why, in Chinese.
  await laptop.page.reload();
  const phoneRow = rows(laptop.page).filter({ hasText: "Safari" });
  await phoneRow.getByRole("button", { name: zh("devices.row.logOut"), exact: true }).click();
  await expect(laptop.page.getByText(zh("devices.feedback.deviceLoggedOut"))).toBeVisible();
  await expect(rows(laptop.page)).toHaveCount(1);
  await expect(phone.page).toHaveURL(/\/login\?/, { timeout: 5_000 });
  await expect(phone.page.getByText(zh("auth.login.reasons.revoked"))).toBeVisible();

  // Changing the password: a wrong current one is refused in Chinese; the right one works.
  await laptop.page.goto("/settings/password");
  await expect(laptop.page.getByRole("heading", { level: 1 })).toHaveText(zh("account.password.title"));
  const current = laptop.page.getByLabel(zh("account.password.current"), { exact: true });
  const next = laptop.page.getByLabel(zh("account.password.new"), { exact: true });
  const submit = laptop.page.getByRole("button", { name: zh("account.password.submit"), exact: true });
  await current.fill("not my password");
  await next.fill(NEW_PASSWORD);
  await submit.click();
  await expect(laptop.page.getByText(zh("errors.account.wrongCurrentPassword")).first()).toBeVisible();
  await current.fill(PASSWORD);
  await next.fill(NEW_PASSWORD);
  await submit.click();
  await expect(laptop.page.getByText(zh("account.password.success"))).toBeVisible();

  // The header's switcher: English at once, <html lang> with it, and still English after a reload.
  await laptop.page
    .getByRole("group", { name: zh("common.language.label") })
    .getByRole("button", { name: "English" })
    .click();
  await expect(laptop.page.locator("html")).toHaveAttribute("lang", "en");
  await expect(laptop.page.getByRole("heading", { level: 1 })).toHaveText("Change password");
  await laptop.page.reload();
  await expect(laptop.page.locator("html")).toHaveAttribute("lang", "en");
  await expect(
    laptop.page.getByRole("group", { name: "Language" }).getByRole("button", { name: "English" }),
  ).toHaveAttribute("aria-pressed", "true");
});

test("in Chinese: empty sign-in fields are flagged in Chinese before anything is sent", async ({ device }) => {
  const { page } = await device("laptop", ZH);
  await page.goto("/login");
  await page
    .getByRole("main")
    .getByRole("button", { name: zh("auth.signIn"), exact: true })
    .click();
  await expect(page.getByText(zh("errors.validation.emailRequired"))).toBeVisible();
  await expect(page.getByText(zh("errors.validation.passwordRequired"))).toBeVisible();
  await expect(page).toHaveURL(/\/login(\?|$)/);
});
