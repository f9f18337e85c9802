import { readFileSync } from "node:fs";
import path from "node:path";

/** A server action of the production build and the pages that serve it. */
export interface BuiltAction {
  id: string;
  name: string;
  /** URL paths of the pages whose worker holds the action, e.g. "/settings/password". */
  pages: string[];
}

interface ReferenceManifest {
  node: Record<string, { exportedName?: string; workers: Record<string, unknown> }>;
}

/** Every server action of the build in `.next` (the one `next start` serves), from Next's server-reference manifest. */
export function builtServerActions(root = process.cwd()): BuiltAction[] {
  const file = path.join(root, ".next/server/server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as ReferenceManifest;
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: entry.exportedName ?? id,
    pages: Object.keys(entry.workers).map(pagePath),
  }));
}

/** "app/(app)/settings/password/page" -> "/settings/password" (route groups are not in the URL). */
function pagePath(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((segment) => segment && !/^\(.*\)$/.test(segment));
  return `/${segments.join("/")}`;
}

/**
 * The body React's client sends for `action(prevState, formData)`: the form's entries under the
 * `_1_` prefix, then the arguments (the form referenced as "$K1") as field "0", last.
 */
export function actionForm(fields: Record<string, string>, prevState: unknown = { status: "idle" }): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(`_1_${name}`, value);
  form.append("0", JSON.stringify([prevState, "$K1"]));
  return form;
}

export interface ActionAnswer {
  status: number;
  contentType: string;
  text: string;
  /** Where an action sent the browser (`x-action-redirect`, or `Location`), if anywhere. */
  redirect: string | null;
}

/** POSTs a body to a page with the `Next-Action` header and our own Origin, as the browser's action call does. */
export async function postAction(
  baseUrl: string,
  page: string,
  actionId: string | null,
  body: BodyInit | undefined,
  headers: Record<string, string> = {},
): Promise<ActionAnswer> {
  const res = await fetch(`${baseUrl}${page}`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: baseUrl, ...(actionId ? { "next-action": actionId } : {}), ...headers },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  return {
    status: res.status,
    contentType: res.headers.get("content-type") ?? "",
    text: await res.text(),
    redirect: res.headers.get("x-action-redirect") ?? res.headers.get("location"),
  };
}
