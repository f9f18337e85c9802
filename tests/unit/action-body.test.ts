import { describe, expect, it } from "vitest";
import { malformedActionBody } from "@/server/http/action-body";

const URL = "http://app.test/register";

function action(body: BodyInit, contentType?: string): Request {
  const headers: Record<string, string> = { "next-action": "6011d408e6bb" };
  if (contentType) headers["content-type"] = contentType;
  return new Request(URL, { method: "POST", headers, body });
}

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

describe("server-action bodies Next could not decode", () => {
  it("lets through what our forms send: the form's entries, then the arguments referencing it", async () => {
    const sent = form([
      ["_1_email", "ada@example.com"],
      ["_1_password", "$not a reference, a field value"],
      ["0", JSON.stringify([{ status: "error", message: "$$escaped", values: { name: "$undefined" } }, "$K1"])],
    ]);
    expect(await malformedActionBody(action(sent))).toBeNull();
    expect(await malformedActionBody(action('[{"status":"idle"},"$K1"]', "text/plain;charset=UTF-8"))).toBeNull();
    // A form posted without JavaScript names its action only.
    const noScript = new Request(URL, {
      method: "POST",
      body: form([
        ["$ACTION_ID_00587", ""],
        ["email", "x"],
      ]),
    });
    expect(await malformedActionBody(noScript)).toBeNull();
  });

  it("ignores what is not an action call", async () => {
    expect(await malformedActionBody(new Request(URL))).toBeNull();
    expect(await malformedActionBody(new Request(URL, { method: "POST", body: "garbage" }))).toBeNull();
    expect(await malformedActionBody(action("a=1", "application/x-www-form-urlencoded"))).toBeNull();
  });

  it.each([
    ["garbage", "the arguments are not JSON"],
    ["[", "the arguments are not JSON"],
    ["", "the arguments are not JSON"],
    ["{}", "the arguments are not a list"],
    ['"x"', "the arguments are not a list"],
    ['["$@9"]', "the arguments hold an unsupported reference"],
    ['[{"a":["$Q1"]}]', "the arguments hold an unsupported reference"],
    ['["$B1"]', "the arguments hold an unsupported reference"],
    ['["$F1"]', "the arguments hold an unsupported reference"],
    ['["$1:a"]', "the arguments hold an unsupported reference"],
    [`${"[".repeat(40)}${"]".repeat(40)}`, "the arguments are nested too deeply"],
  ])("refuses the text body %j: %s", async (body, why) => {
    expect(await malformedActionBody(action(body, "text/plain;charset=UTF-8"))).toBe(why);
  });

  it("refuses broken multipart, missing or unreadable arguments and parts our forms never send", async () => {
    const broken = action(
      '--XYZ\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"',
      "multipart/form-data; boundary=XYZ",
    );
    expect(await malformedActionBody(broken)).toBe("the multipart body is malformed");
    expect(await malformedActionBody(action(form([["_1_email", "x"]])))).toBe("the arguments (field 0) are missing");
    expect(await malformedActionBody(action(form([["0", "garbage"]])))).toBe("the arguments are not JSON");
    expect(
      await malformedActionBody(
        action(
          form([
            ["1", "[]"],
            ["0", '["$1"]'],
          ]),
        ),
      ),
    ).toBe('the field "1" is not expected');
    const bound = new Request(URL, {
      method: "POST",
      body: form([
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", "garbage"],
      ]),
    });
    expect(await malformedActionBody(bound)).toBe('the field "$ACTION_REF_1" is not expected');
  });

  it("leaves the body readable for Next after looking at it", async () => {
    const request = action('[{"status":"idle"},"$K1"]', "text/plain");
    await malformedActionBody(request);
    expect(await request.text()).toBe('[{"status":"idle"},"$K1"]');
  });
});
