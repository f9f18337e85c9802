import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commentLines } from "../support/source-comments";

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

/** Where code lives whose comments are checked, and which files of it are read. */
const CODE_DIRS = ["src", "scripts", "tests", "e2e", "examples", "prisma"];
const CODE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const NOT_OURS = new Set(["node_modules", "generated"]);

/**
 * A repository path in prose: it starts at one of the repository's top folders and ends with a file
 * extension (`src/core/ids.ts`) or a slash (`docs/decisions/`). Globs and placeholders end it early
 * (`tests/unit/**` is checked as `tests/unit/`).
 */
const REPO_PATH =
  /(?<![\w@./-])(?:src|scripts|tests|docs|e2e|prisma|examples)\/(?:[\w.()[\]@-]+\/)*(?:[\w.()[\]@-]*[\w()[\]@-]\.[A-Za-z0-9]{1,6})?(?![\w/-])/g;

function codeFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return NOT_OURS.has(entry.name) ? [] : codeFiles(relative);
    return CODE_FILE.test(entry.name) ? [relative] : [];
  });
}

/** `file:line: path` for every repository path named in a comment of `source` that does not exist. */
function missingPathsInComments(file: string, source: string, exists: (repoPath: string) => boolean): string[] {
  return commentLines(source).flatMap(({ line, text }) =>
    [...text.matchAll(REPO_PATH)]
      .map((m) => m[0])
      .filter((named) => !exists(named))
      .map((named) => `${file}:${line}: ${named}`),
  );
}

const existsInRepo = (repoPath: string) => existsSync(path.join(ROOT, repoPath));

/** The relative module specifiers a source imports, re-exports or requires. */
const relativeImports = (source: string) =>
  [...source.matchAll(/(?:\bfrom|\bimport\s*\(?|\brequire\s*\()\s*["'](\.{1,2}\/[^"']*)["']/g)].map((m) => m[1]!);

/** GitHub's anchor for a heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

describe("documentation", () => {
  it("the README links the deployment guide, and the guide covers PostgreSQL, Redis Sentinel and Cluster, load balancing, signing keys and failures", () => {
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

  it("every repository path a comment names in src, scripts, tests, e2e, examples or prisma exists", () => {
    const files = CODE_DIRS.flatMap(codeFiles);
    expect(files.length).toBeGreaterThan(100);
    const missing = files.flatMap((file) => missingPathsInComments(file, read(file), existsInRepo));
    expect(missing, "paths named in comments that do not exist").toEqual([]);
  });
});

describe("the layout the README describes", () => {
  it("scripts never import tests/ (what both need lives in scripts/lib)", () => {
    const imports = codeFiles("scripts").flatMap((file) =>
      relativeImports(read(file)).map((specifier) => ({
        file,
        target: path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)),
      })),
    );
    expect(imports.length).toBeGreaterThan(20);
    const intoTests = imports.filter(({ target }) => target.split(path.sep)[0] === "tests");
    expect(intoTests.map(({ file, target }) => `${file} imports ${target}`)).toEqual([]);
  });
});

describe("the check of paths in comments", () => {
  const source = [
    'const text = "// src/in-a-string.ts"; // see src/core/ids.ts and src/core/nowhere.ts',
    "const pattern = /\\/\\/ src\\/gone.ts/; /* docs/decisions/ and",
    "   docs/missing/ */ const t = `a ${/* e2e/absent.spec.ts */ 1} // tests/not-a-comment.ts`;",
  ].join("\n");

  it("names each missing path in a comment with its line, and none in code, strings or regexes", () => {
    expect(missingPathsInComments("x.ts", source, existsInRepo)).toEqual([
      "x.ts:1: src/core/nowhere.ts",
      "x.ts:3: docs/missing/",
      "x.ts:3: e2e/absent.spec.ts",
    ]);
  });

  it("reads paths with route groups, dynamic segments and several dots, and stops at globs", () => {
    const named = (text: string) =>
      missingPathsInComments("x.ts", `// ${text}`, () => false).map((l) => l.replace(/^x\.ts:1: /, ""));
    expect(named("src/app/(app)/devices/page.tsx, src/app/api/[[...path]]/route.ts.")).toEqual([
      "src/app/(app)/devices/page.tsx",
      "src/app/api/[[...path]]/route.ts",
    ]);
    expect(named("(scripts/bench/autocannon.d.ts) and tests/unit/**/*.test.ts; not tests/unit/fakes")).toEqual([
      "scripts/bench/autocannon.d.ts",
      "tests/unit/",
    ]);
  });
});
