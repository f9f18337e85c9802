/**
 * The engine (src/core) writes its messages in English: errors, validation messages, anything a
 * person may read. This turns one of those sentences into the reader's language.
 *
 * PLACEHOLDER: returns the English unchanged until the translation of engine messages lands.
 */
export type Translate = (id: string, values: Record<string, string>) => string;

export function localizeEngineText(message: string, _translate: Translate): string {
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
