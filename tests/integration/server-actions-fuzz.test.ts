/**
 * Every server action of the build, sent malformed bodies over HTTP: the known bad shapes (React
 * references to nothing, bodies that are not JSON, broken multipart, the arguments of another
 * action's form) and property-based ones (fast-check, fixed seed, bounded runs). The actions are
 * read from the build's server-reference manifest, so a new action is fuzzed without a change here.
 * Each is posted to the page that serves it, with the `Next-Action` header and our own Origin (so
 * the CSRF check lets it through), signed in where the page needs it. Whatever is sent:
 *   - the status is below 500 and no stack trace or source path comes back;
 *   - a refused body is a 400 with a JSON `{error, error_description}` (or one of Next's own short
 *     answers to an unknown action id: 400 or 409 in plain text, 404 with the not-found page);
 *   - a body that reaches the action with arguments it cannot use gets the form's readable message.
 * Reproduce a failure with FUZZ_SEED (and more runs with FUZZ_RUNS).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";
import {
  actionForm,
  builtServerActions,
  postAction,
  type ActionAnswer,
  type BuiltAction,
} from "../support/server-actions";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 0);
const runs = (n: number) => (RUNS > 0 ? RUNS : n);
const PASSWORD = "fuzz-password-2026";
const PROTECTED = /^\/(devices|settings)(\/|$)/;

let testApp: TestApp;
let api: Api;
const actions = builtServerActions();

beforeAll(async () => {
  testApp = await startTestApp("server-actions-fuzz");
  api = new Api(testApp.app.url);
});

/** Statuses seen per action, printed at the end (what Next and the proxy answered). */
const seen = new Map<string, Map<string, number>>();

afterAll(async () => {
  const lines = [...seen].map(
    ([name, counts]) =>
      `  ${name}: ${[...counts]
        .sort()
        .map(([status, n]) => `${status}x${n}`)
        .join(" ")}`,
  );
  if (lines.length) console.info(`server-action fuzz (seed ${SEED}) statuses:\n${lines.join("\n")}`);
  await testApp?.stop();
});

/** A signed-in browser per action, signed in again whenever the action signed it out. */
const browsers = new Map<string, string>();

async function cookiesFor(action: BuiltAction, page: string): Promise<Record<string, string>> {
  if (!PROTECTED.test(page)) return {};
  let cookie = browsers.get(action.id);
  if (!cookie) {
    const email = uniqueEmail(action.name.toLowerCase());
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const browser = await browserSignIn(testApp.app.url, email, PASSWORD);
    expect(browser.status).toBe(200);
    cookie = cookieHeader(browser.cookies);
    browsers.set(action.id, cookie);
  }
  return { cookie };
}

interface Malformed {
  label: string;
  body: BodyInit | undefined;
  contentType?: string;
  /** Without the Next-Action header: a no-JavaScript form post, whose action Next finds in the body. */
  noHeader?: boolean;
  /** Another id in the header than the action's own. */
  actionId?: string;
}

function describeBody(body: BodyInit | undefined): string {
  if (body instanceof FormData)
    return `multipart ${JSON.stringify([...body.entries()].map(([k, v]) => [k, String(v)]))}`;
  return JSON.stringify(typeof body === "string" ? body.slice(0, 300) : String(body));
}

async function send(action: BuiltAction, page: string, malformed: Malformed): Promise<ActionAnswer> {
  const headers = await cookiesFor(action, page);
  if (malformed.contentType) headers["content-type"] = malformed.contentType;
  const answer = await postAction(
    testApp.app.url,
    page,
    malformed.noHeader ? null : (malformed.actionId ?? action.id),
    malformed.body,
    headers,
  );
  const counts = seen.get(action.name) ?? new Map<string, number>();
  seen.set(action.name, counts.set(String(answer.status), (counts.get(String(answer.status)) ?? 0) + 1));
  const what = `${action.name} at ${page}: ${malformed.label} ${describeBody(malformed.body)} -> ${answer.status}`;
  expect(answer.status, what).toBeLessThan(500);
  expect(answer.text, what).not.toMatch(/\n\s+at |node_modules|\.next\/server|TypeError|SyntaxError/);
  if (answer.status === 400 && answer.contentType.includes("application/json")) {
    expect(JSON.parse(answer.text), what).toMatchObject({
      error: "invalid_request",
      error_description: expect.any(String),
    });
  } else if (answer.status >= 400 && !answer.contentType.includes("text/html")) {
    // Next's own answers, before the app: an id that is not one, or no action of this build.
    expect(answer.text, what).toMatch(/^(Invalid Server Actions? request|Server Action unavailable)\.$/);
  }
  if (answer.redirect?.includes("/login")) browsers.delete(action.id);
  return answer;
}

function multipart(boundary: string, raw: string): Malformed {
  return { label: "raw multipart", body: raw, contentType: `multipart/form-data; boundary=${boundary}` };
}

function form(entries: [string, string | Blob][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

const TEXT = "text/plain;charset=UTF-8";

/** The shapes that answered 500 before, and their neighbours. */
function knownMalformed(action: BuiltAction): Malformed[] {
  const text = (body: string): Malformed => ({ label: "text", body, contentType: TEXT });
  return [
    ...['["$K1"]', "{}", "garbage", "[", "", "null", '"x"', "1", "[null,null]", "[1,2]", "[{}, {}]", "[[],[]]"].map(
      text,
    ),
    ...['["$@9"]', '[{"status":"idle"},"$@9"]', '["$Q1"]', '["$W1"]', '["$i1"]', '["$F1"]', '["$h1"]', '["$B1"]'].map(
      text,
    ),
    ...['["$T"]', '["$n1"]', '["$D1"]', '["$AT1"]', '["$R1"]', '["$X1"]', '["$1"]', '["$1:a:b"]', '["$S1"]'].map(text),
    ...['["$Infinity","$NaN"]', '[{"status":"idle"},"$K1","$K2"]', `[${"[".repeat(5000)}${"]".repeat(5000)}]`].map(
      text,
    ),
    { label: "JSON", body: '[{"status":"idle"},"$K1"]', contentType: "application/json" },
    { label: "urlencoded", body: "email=a%40b.c&password=x", contentType: "application/x-www-form-urlencoded" },
    multipart("XYZ", '--XYZ\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"'),
    multipart("XYZ", "--XYZ\r\n"),
    multipart("XYZ", "not a multipart body at all"),
    { label: "multipart without boundary", body: "--XYZ--", contentType: "multipart/form-data" },
    { label: "form, no arguments", body: form([["_1_email", "a@b.c"]]) },
    { label: "form, arguments not JSON", body: form([["0", "garbage"]]) },
    { label: "form, arguments not an array", body: form([["0", '{"a":1}']]) },
    { label: "form, reference to a missing part", body: form([["0", '[{"status":"idle"},"$@1"]']]) },
    {
      label: "form, outlined part not JSON",
      body: form([
        ["1", "garbage"],
        ["0", '[{"status":"idle"},"$1"]'],
      ]),
    },
    { label: "form, blob reference", body: form([["0", '[{"status":"idle"},"$B1"]']]) },
    {
      label: "form, a file for a field",
      body: form([
        ["_1_email", new Blob(["x"])],
        ["0", '[{"status":"idle"},"$K1"]'],
      ]),
    },
    {
      label: "form, the form as the first argument",
      body: form([
        ["_1_email", "a@b.c"],
        ["0", '["$K1"]'],
      ]),
    },
    { label: "form of another shape", body: actionForm({ sessionId: "x".repeat(300), email: "\u0000" }) },
    {
      label: "no-JavaScript post",
      noHeader: true,
      body: form([
        [`$ACTION_ID_${action.id}`, ""],
        ["email", "a@b.c"],
      ]),
    },
    { label: "an unknown action id", actionId: "7f".repeat(21), body: actionForm({ email: "a@b.c" }) },
    { label: "an action id that is not one", actionId: "../../x", body: actionForm({ email: "a@b.c" }) },
    {
      label: "no-JavaScript post naming an unknown action",
      noHeader: true,
      body: form([[`$ACTION_ID_${"7f".repeat(21)}`, ""]]),
    },
    {
      label: "no-JavaScript post, bound arguments not JSON",
      noHeader: true,
      body: form([
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", "garbage"],
        ["$ACTION_KEY", "k"],
      ]),
    },
    {
      label: "no-JavaScript post, bound reference to this action with garbage",
      noHeader: true,
      body: form([
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", JSON.stringify({ id: action.id, bound: "$@1" })],
        ["$ACTION_1:1", "["],
      ]),
    },
  ];
}

// Property-based bodies: JSON arrays whose strings are often React's references, forms around them.
const REFERENCES = [
  "$K1",
  "$K2",
  "$@1",
  "$Q1",
  "$W1",
  "$B1",
  "$F1",
  "$T",
  "$n1",
  "$D1",
  "$undefined",
  "$Infinity",
  "$$x",
  "$",
  "$-0",
  "$i1",
  "$h1",
  "$S1",
  "$1",
  "$1:x",
];
const leaf = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REFERENCES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
);
const jsonValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom("status", "message", "fields", "values", "id", "bound", "__proto__", "email", "0"),
      tie("value"),
      { maxKeys: 4 },
    ),
  ),
})).value;
const args = fc.oneof(fc.array(jsonValue, { maxLength: 4 }), jsonValue);
const FIELD_NAMES = [
  "0",
  "1",
  "_1_email",
  "_1_password",
  "_1_currentPassword",
  "_1_newPassword",
  "_1_sessionId",
  "_1_",
  "_2_x",
  "$ACTION_ID_x",
  "B1",
  "S1",
];
const malformedArbitrary: fc.Arbitrary<Malformed> = fc.oneof(
  args.map((value) => ({ label: "text", body: JSON.stringify(value), contentType: TEXT })),
  fc.string({ maxLength: 60 }).map((body) => ({ label: "text", body, contentType: TEXT })),
  fc
    .tuple(fc.array(fc.tuple(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 30 })), { maxLength: 4 }), args)
    .map(([entries, value]) => ({
      label: "form",
      body: form([...entries, ["0", JSON.stringify(value)]]),
    })),
);

describe("server actions with malformed bodies", () => {
  it("finds the build's actions and the pages that serve them", () => {
    expect(actions.map((a) => a.name)).toEqual(
      expect.arrayContaining(["registerAction", "changePasswordAction", "signOutAction", "logOutDeviceAction"]),
    );
    for (const action of actions) expect(action.pages.length, action.name).toBeGreaterThan(0);
  });

  it.each(actions.map((a) => [a.name, a] as const))(
    "%s: the known bad shapes never answer 5xx",
    async (_name, action) => {
      // Next decodes the body the same way on every page that serves the action: one page is enough.
      const page = action.pages[0]!;
      await Promise.all(knownMalformed(action).map((malformed) => send(action, page, malformed)));
    },
  );

  // Random bodies mostly exercise Next's decoding, which is the same for every action: a dozen per
  // action (some 300 in all, each differently seeded by its position) instead of forty keeps the
  // variety and spends a fraction of the time. FUZZ_RUNS raises it for a deeper run.
  it.each(actions.map((a) => [a.name, a] as const))("%s: random bodies never answer 5xx", async (_name, action) => {
    const page = action.pages[0]!;
    await fc.assert(
      fc.asyncProperty(malformedArbitrary, async (malformed) => {
        await send(action, page, malformed);
      }),
      { seed: SEED + actions.indexOf(action), numRuns: runs(12) },
    );
  });

  it("the register form answers a form it cannot read with its readable message", async () => {
    const register = actions.find((a) => a.name === "registerAction")!;
    const answer = await send(register, "/register", { label: "text", body: '["$K1"]', contentType: TEXT });
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/could not be read/i);
  });
});
