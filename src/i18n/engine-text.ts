import { engineTemplates } from "@/core/messages";

/**
 * The engine (src/core) writes its messages in English: errors, validation messages, anything a
 * person may read, each one of the templates of src/core/messages.ts. This turns one of those
 * sentences into the reader's language: the template it was made from is found, the values it was
 * filled with are captured, and `errors.<id>` of the reader's catalogue is formatted with them.
 * Text that is not one of the engine's sentences (a library's message) comes back unchanged.
 */
export type Translate = (id: string, values: Record<string, string>) => string;

interface Pattern {
  id: string;
  regex: RegExp;
  names: string[];
}

/** The prefixed form of a message ("email: Enter a valid email address.") is matched in two steps. */
const IN_FIELD = "validation.inField";
const IN_FIELD_SHAPE = /^([A-Za-z0-9_.]+): (.+)$/s;

/** A parameter's name is one identifier (so "{parameter} is required." takes no sentence for a name); the rest, any text. */
function capture(name: string): string {
  return name === "parameter" ? "([a-z][a-z0-9_]*)" : "(.+?)";
}

let compiled: { exact: Map<string, string>; patterns: Pattern[] } | undefined;

function templates() {
  if (compiled) return compiled;
  const exact = new Map<string, string>();
  const patterns: Pattern[] = [];
  for (const [id, template] of engineTemplates()) {
    if (id === IN_FIELD) continue;
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    if (names.length === 0) {
      if (!exact.has(template)) exact.set(template, id);
      continue;
    }
    const parts = template.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const source = parts.map((part, index) => (index === 0 ? part : `${capture(names[index - 1]!)}${part}`)).join("");
    patterns.push({ id, regex: new RegExp(`^${source}$`, "s"), names });
  }
  compiled = { exact, patterns };
  return compiled;
}

/** The id and values of the template `message` was made from, or null for any other text. */
export function matchEngineText(message: string): { id: string; values: Record<string, string> } | null {
  const { exact, patterns } = templates();
  const id = exact.get(message);
  if (id) return { id, values: {} };
  for (const pattern of patterns) {
    const match = pattern.regex.exec(message);
    if (!match) continue;
    const values: Record<string, string> = {};
    pattern.names.forEach((name, index) => (values[name] = match[index + 1]!));
    return { id: pattern.id, values };
  }
  return null;
}

export function localizeEngineText(message: string, translate: Translate): string {
  const found = matchEngineText(message);
  if (found) return translate(found.id, found.values);
  const inField = IN_FIELD_SHAPE.exec(message);
  if (inField) {
    const inner = matchEngineText(inField[2]!);
    if (inner) {
      return translate(IN_FIELD, { field: inField[1]!, message: translate(inner.id, inner.values) });
    }
  }
  return message;
}

/** Per-field messages (a form's `fields`), each in the reader's language. */
export function localizeFieldErrors<K extends string>(
  fields: Partial<Record<K, string[]>>,
  translate: Translate,
): Partial<Record<K, string[]>> {
  const out: Partial<Record<K, string[]>> = {};
  for (const [name, messages] of Object.entries(fields) as Array<[K, string[] | undefined]>) {
    if (messages) out[name] = messages.map((message) => localizeEngineText(message, translate));
  }
  return out;
}
