/**
 * Server-action requests whose body Next's own decoder cannot read fail there, before any action
 * runs, with a bare 500. This tells those bodies apart so the proxy can refuse them with a 400.
 *
 * What our pages send is narrow: every action takes its form, so React posts multipart with the
 * arguments as JSON in field "0" and the form's entries under `_<n>_`; the header's sign-out form
 * also works without JavaScript (multipart with `$ACTION_ID_<id>`). A body is let through when it
 * has that shape and its arguments use only the references that decode to plain values or to a
 * form (`$K`); anything else in React's reply format (promises, blobs, streams, server references,
 * outlined parts) is never sent by these forms and is refused. The actions still check what they
 * receive (`formFields`): this only keeps Next's decoder from failing.
 */
const ACTION_HEADER = "next-action";
/** Plain values (escaped "$" strings, undefined, non-finite numbers) and forms. */
const DECODABLE_REFERENCE = /^\$(\$|undefined$|Infinity$|-Infinity$|NaN$|-0$|K[0-9a-f]{1,8}$)/;
const MAX_DEPTH = 32;

/** Why Next could not decode this request as a server action, or null when it can (or it is none). */
export async function malformedActionBody(request: Request): Promise<string | null> {
  if (request.method !== "POST") return null;
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const fetchAction = request.headers.has(ACTION_HEADER);
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.clone().formData();
    } catch {
      return "the multipart body is malformed";
    }
    return fetchAction ? replyFormProblem(form) : noScriptFormProblem(form);
  }
  // Next answers a urlencoded action call itself (not found); any other body is JSON arguments.
  if (!fetchAction || type.startsWith("application/x-www-form-urlencoded")) return null;
  return argumentsProblem(await request.clone().text());
}

function replyFormProblem(form: FormData): string | null {
  for (const name of form.keys()) {
    if (name !== "0" && !/^_[0-9a-f]{1,8}_/.test(name)) return `the field "${name.slice(0, 40)}" is not expected`;
  }
  const args = form.get("0");
  return typeof args === "string" ? argumentsProblem(args) : "the arguments (field 0) are missing";
}

/** A form posted without JavaScript: only plain `$ACTION_ID_` references (no bound arguments). */
function noScriptFormProblem(form: FormData): string | null {
  for (const name of form.keys()) {
    if (name.startsWith("$ACTION_") && !/^\$ACTION_ID_[0-9a-f]{1,64}$/.test(name)) {
      return `the field "${name.slice(0, 40)}" is not expected`;
    }
  }
  return null;
}

/** The action's arguments: a JSON array whose strings use only decodable references. */
function argumentsProblem(text: string): string | null {
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch {
    return "the arguments are not JSON";
  }
  if (!Array.isArray(args)) return "the arguments are not a list";
  const pending: [unknown, number][] = [[args, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value === "string") {
      if (value.startsWith("$") && !DECODABLE_REFERENCE.test(value))
        return "the arguments hold an unsupported reference";
    } else if (value !== null && typeof value === "object") {
      if (depth >= MAX_DEPTH) return "the arguments are nested too deeply";
      for (const item of Object.values(value)) pending.push([item, depth + 1]);
    }
  }
  return null;
}
