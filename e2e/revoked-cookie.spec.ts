/**
 * A copy of a logged-out device's cookies is worth nothing: sent by a plain HTTP client (no
 * browser, no JavaScript) it is answered with a redirect to /login, never the page, and the
 * session token inside it (a JWS verifiable with /.well-known/jwks.json) is refused by the API.
 * Before the revocation the very same copy worked, so the refusal is the revocation's doing. Also:
 * the cookie is httpOnly + SameSite=Lax and the token is nowhere in the page's storage.
 */
import { createRemoteJWKSet, jwtVerify } from "jose";
import type { APIResponse } from "@playwright/test";
import { expect, expectSignedOut, safariRow, sessionCookie, test } from "./fixtures";

const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

test("a logged-out device's copied cookies and token are refused", async ({
  newUser,
  signedIn,
  playwright,
  baseURL,
}) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const phone = await signedIn("phone", user);

  // What a thief would copy from the phone, taken while it was signed in.
  const { cookie: session, all } = await sessionCookie(phone.context);
  const cookieHeader = all.map((c) => `${c.name}=${c.value}`).join("; ");
  const token = session.value;

  expect(session.httpOnly, "session cookie httpOnly").toBe(true);
  expect(session.sameSite, "session cookie SameSite").toBe("Lax");
  expect(token).toMatch(JWS);
  const jwks = createRemoteJWKSet(new URL("/.well-known/jwks.json", baseURL));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    issuer: "http://revocable.test",
    audience: "revocable-sessions-api",
  });
  expect(protectedHeader.kid, "the JWS names its key").toBeTruthy();
  expect(payload.sub, "sub").toBeTruthy();
  expect(payload.sid, "sid (the device session)").toBeTruthy();

  const storage = await phone.page.evaluate(() => ({
    local: Object.entries(localStorage).flat().join("\n"),
    session: Object.entries(sessionStorage).flat().join("\n"),
    cookie: document.cookie,
  }));
  const signature = token.split(".")[2]!;
  for (const [where, content] of Object.entries(storage)) {
    expect(content, `${where} must not hold the session token`).not.toContain(signature);
  }

  /** One fresh HTTP client per request, so no cookie jar mixes in what an earlier answer set. */
  async function get(
    path: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; location: string; body: string }> {
    const client = await playwright.request.newContext({ baseURL });
    try {
      const res: APIResponse = await client.get(path, { headers, maxRedirects: 0 });
      return { status: res.status(), location: res.headers().location ?? "", body: await res.text() };
    } finally {
      await client.dispose();
    }
  }

  // Before: the copy works (so the later refusal can only come from the revocation).
  const pageBefore = await get("/devices", { cookie: cookieHeader });
  expect(
    pageBefore.status,
    `GET /devices with the copied cookies before the revocation (Location: ${pageBefore.location})`,
  ).toBe(200);
  expect(pageBefore.body).toContain(user.email);
  expect(
    (await get("/api/me", { authorization: `Bearer ${token}` })).status,
    "GET /api/me with the cookie's token before",
  ).toBe(200);

  // The laptop logs the phone out.
  await laptop.page.goto("/devices");
  await safariRow(laptop.page).getByRole("button", { name: "Log out", exact: true }).click();
  await expectSignedOut(phone.page);

  const pageAfter = await get("/devices", { cookie: cookieHeader });
  expect(pageAfter.status, "GET /devices with the copied cookies after the revocation").toBeGreaterThanOrEqual(300);
  expect(pageAfter.status).toBeLessThan(400);
  expect(pageAfter.location).toContain("/login");
  expect(pageAfter.body).not.toContain(user.email);

  const meAfter = await get("/api/me", { authorization: `Bearer ${token}` });
  expect(meAfter.status, `GET /api/me with the cookie's token after: ${meAfter.body}`).toBe(401);
});
