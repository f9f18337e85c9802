import { AuthError } from "@/core/errors";
import { engineText } from "@/core/messages";

/** Bodies of this API are a few hundred bytes; anything much larger is refused unread. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a JSON or form-urlencoded body into a plain object (RFC 6749 clients send forms, others
 * JSON). Never throws anything but `invalid_request` / `payload_too_large`.
 */
export async function readBody(request: Request): Promise<Record<string, unknown>> {
  const text = await readLimited(request);
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (text.trim() === "") return {};
  if (type === "application/x-www-form-urlencoded") return fromForm(text);
  if (type === "application/json" || type === "" || type.endsWith("+json")) return fromJson(text);
  throw new AuthError("invalid_request", engineText("request.bodyType"));
}

async function readLimited(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AuthError("invalid_request", engineText("request.bodyNotUtf8"));
  }
}

function fromJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AuthError("invalid_request", engineText("request.bodyNotJson"));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AuthError("invalid_request", engineText("request.bodyNotObject"));
  }
  return value as Record<string, unknown>;
}

function fromForm(text: string): Record<string, unknown> {
  const params = new URLSearchParams(text);
  const result: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    // RFC 6749 §3.2: request parameters must not be included more than once.
    if (values.length > 1)
      throw new AuthError("invalid_request", engineText("request.repeatedParameter", { name: key }));
    result[key] = values[0];
  }
  return result;
}

function tooLarge(): AuthError {
  return new AuthError("payload_too_large", engineText("request.bodyTooLarge", { max: MAX_BODY_BYTES }));
}
