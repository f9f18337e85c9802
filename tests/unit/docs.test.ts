import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** The docs are part of the product: they must name what exists, and only that. */
const ROOT = process.cwd();
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const DOCS = [
  "README.md",
  "SECURITY.md",
  "docs/DEPLOYMENT.md",
  "docs/BENCHMARKS.md",
  "examples/resource-server/README.md",
  ...readdirSync(path.join(ROOT, "docs/decisions")).map((f) => `docs/decisions/${f}`),
];
const ENV_VARS = ["src/server/env.ts", "src/server/env-redis.ts"]
  .flatMap((file) => [...read(file).matchAll(/^ {2,4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!))
  .filter((name) => name !== "NODE_ENV");
const SCRIPTS = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);

/** GitHub's anchor for a heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

describe("documentation", () => {
  it("the README links the deployment guide, and the guide covers what issue 6 asks", () => {
    expect(read("README.md")).toContain("(docs/DEPLOYMENT.md)");
    const guide = read("docs/DEPLOYMENT.md");
    for (const topic of ["PostgreSQL", "Sentinel", "Cluster", "load balancer", "Signing keys", "When a part fails"])
      expect(guide).toContain(topic);
  });

  it("every environment variable the app reads is in the README's configuration table and in .env.example", () => {
    expect(ENV_VARS.length).toBeGreaterThan(15);
    const readme = read("README.md");
    const example = read(".env.example");
    const missing = ENV_VARS.filter((name) => !readme.includes(`\`${name}\``) || !example.includes(name));
    expect(missing, "variables missing from README.md or .env.example").toEqual([]);
  });

  it("every `npm run` a document mentions exists", () => {
    const mentioned = new Set(
      DOCS.flatMap((file) => [...read(file).matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]!)),
    );
    expect([...mentioned].filter((script) => !SCRIPTS.includes(script))).toEqual([]);
  });

  it("every relative link in a document points to a file (and heading) that exists", () => {
    const broken: string[] = [];
    for (const file of DOCS) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:)/.test(target!)) continue;
        const [relative, anchor] = target!.split("#");
        const resolved = relative ? path.join(path.dirname(file), relative) : file;
        if (!existsSync(path.join(ROOT, resolved))) {
          broken.push(`${file}: ${target}`);
          continue;
        }
        if (anchor && resolved.endsWith(".md")) {
          const headings = [...read(resolved).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!));
          if (!headings.includes(anchor)) broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
