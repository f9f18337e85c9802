import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { messagesFor } from "@/i18n/catalogues";
import { LOCALES } from "@/i18n/locales";

/**
 * The two languages must say the same things: every key in one catalogue exists in the other,
 * every message parses as ICU, and a translation uses exactly the placeholders of its English
 * original (a missing `{email}` would silently drop the address; an extra one would throw).
 */
type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(name, value);
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}

function placeholders(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    into.add(element.value);
    if (element.type === TYPE.tag) placeholders(element.children, into);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) placeholders(option.value, into);
    }
  }
  return into;
}

const flat = Object.fromEntries(LOCALES.map((locale) => [locale, flatten(messagesFor(locale) as unknown as Tree)]));
const [reference, ...others] = LOCALES;

describe("message catalogues", () => {
  it("are one JSON file per namespace, the same files in every language", () => {
    const files = LOCALES.map((locale) => readdirSync(path.join("messages", locale)).sort());
    for (const list of files) expect(list).toEqual(files[0]);
    // Every file on disk is loaded: a namespace file nobody imports would be dead text.
    for (const file of files[0] ?? []) expect(Object.keys(messagesFor("en"))).toContain(file.replace(/\.json$/, ""));
    for (const locale of LOCALES) {
      for (const file of files[0] ?? []) {
        expect(() => JSON.parse(readFileSync(path.join("messages", locale, file), "utf8"))).not.toThrow();
      }
    }
  });

  for (const other of others) {
    it(`${other} has exactly the keys of ${reference}`, () => {
      const missing = [...flat[reference]!.keys()].filter((key) => !flat[other]!.has(key));
      const extra = [...flat[other]!.keys()].filter((key) => !flat[reference]!.has(key));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it(`${other} uses the placeholders of each ${reference} message`, () => {
      const differing: string[] = [];
      for (const [key, english] of flat[reference]!) {
        const translated = flat[other]!.get(key);
        if (translated === undefined) continue;
        const want = [...placeholders(parse(english))].sort().join(",");
        const got = [...placeholders(parse(translated))].sort().join(",");
        if (want !== got) differing.push(`${key}: {${want}} vs {${got}}`);
      }
      expect(differing).toEqual([]);
    });
  }

  it("no message is empty", () => {
    for (const locale of LOCALES) {
      const empty = [...flat[locale]!].filter(([, text]) => !text.trim()).map(([key]) => key);
      expect(empty, locale).toEqual([]);
    }
  });
});
