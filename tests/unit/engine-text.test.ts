import { describe, expect, it } from "vitest";
import { AuthError } from "@/core/errors";
import { engineTemplates, engineText, ENGINE_MESSAGES } from "@/core/messages";
import { RateLimitPolicy, defaultRateLimits } from "@/core/rate-limits";
import { parseInput, registerSchema } from "@/core/validation";
import { messagesFor } from "@/i18n/catalogues";
import { engineTextIn } from "@/i18n/engine-text-in";
import { matchEngineText } from "@/i18n/engine-text";

/** Sample values for a template's placeholders: digits for numbers, a name for the rest. */
function sampleValues(template: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
    values[name!] = ["count", "min", "max", "incident"].includes(name!)
      ? "42"
      : name === "parameter"
        ? "refresh_token"
        : "GitHub";
  }
  return values;
}

const zh = engineTextIn("zh-CN");
const en = engineTextIn("en");
const HAN = /[\u4e00-\u9fff]/;

describe("engine messages in the reader's language", () => {
  it("has the English catalogue repeat the engine's table word for word", () => {
    expect(messagesFor("en").errors).toEqual(ENGINE_MESSAGES);
  });

  it.each(engineTemplates().filter(([id]) => id !== "validation.inField"))(
    "round-trips %s: English unchanged, Chinese translated with the same values",
    (id, template) => {
      const values = sampleValues(template);
      const message = engineText(id, values);
      expect(matchEngineText(message)).toEqual({ id, values });
      expect(en.text(message)).toBe(message);
      const chinese = zh.text(message);
      expect(chinese).not.toBe(message);
      expect(chinese).toMatch(HAN);
      for (const value of Object.values(values)) expect(chinese).toContain(value);
    },
  );

  it("writes the duration of a rate limit in Chinese", async () => {
    const limiter = {
      hit: async () => ({ count: 99, resetInSeconds: 125 }),
      peek: async () => ({ count: 99, resetInSeconds: 125 }),
      reset: async () => {},
    };
    const logger = { info() {}, warn() {}, error() {}, debug() {} };
    const policy = new RateLimitPolicy(limiter as never, defaultRateLimits, logger as never);
    const error = await policy.beforeSignIn("192.0.2.1").catch((e: AuthError) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toBe("Too many attempts. Please try again in 3 minutes.");
    expect(zh.text((error as AuthError).message)).toBe("尝试次数过多，请在 3 分钟后重试。");
    expect(zh.text("Too many attempts. Please try again in 45 seconds.")).toBe("尝试次数过多，请在 45 秒后重试。");
  });

  it("translates a validation failure: the described first field and every field's messages", () => {
    let error: AuthError | undefined;
    try {
      parseInput(registerSchema, { email: "not an address", password: "short" });
    } catch (e) {
      error = e as AuthError;
    }
    expect(error?.message).toBe("email: Enter a valid email address.");
    expect(zh.text(error!.message)).toBe("email：请输入有效的邮箱地址。");
    expect(zh.fields(error!.details.fields!)).toEqual({
      email: ["请输入有效的邮箱地址。"],
      password: ["密码至少需要 8 个字符。"],
    });
  });

  it("leaves any other text as it is", () => {
    for (const text of [
      "Invalid input: expected string, received undefined",
      "",
      "email: something else",
      "A sentence is required.",
    ]) {
      expect(zh.text(text)).toBe(text);
    }
  });
});
