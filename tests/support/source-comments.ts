/** One physical line of a comment in a source file: its 1-based line number and its text. */
export interface CommentLine {
  line: number;
  text: string;
}

/** After these characters a `/` starts a regular expression literal; elsewhere it divides. */
const BEFORE_REGEX = new Set([
  "",
  "(",
  ",",
  "=",
  ":",
  "[",
  "!",
  "&",
  "|",
  "?",
  "{",
  "}",
  ";",
  "+",
  "-",
  "*",
  "%",
  "<",
  ">",
  "~",
  "^",
]);

/**
 * The comments of a JavaScript or TypeScript source (`//` and block comments, JSX's `{/* *\/}`
 * included), line by line. Strings, template literals (with their `${}` expressions) and regular
 * expression literals are skipped, so a `//` in a URL string is not taken for a comment. A lexer
 * for checks on comments, not a parser: JSX text is read as code.
 */
export function commentLines(source: string): CommentLine[] {
  const lines: CommentLine[] = [];
  let i = 0;
  let line = 1;

  const comment = (text: string) => {
    for (const piece of text.split("\n")) lines.push({ line: line++, text: piece });
    line -= 1; // the comment's last line is the line the scan goes on with
  };

  /** Skips a quoted string starting at i (the quote); returns the index after its end. */
  const skipString = (quote: string): void => {
    i += 1;
    while (i < source.length && source[i] !== quote && source[i] !== "\n") i += source[i] === "\\" ? 2 : 1;
    i += 1;
  };

  /** Skips a regular expression literal starting at i (the slash), or only the slash if it is none. */
  const skipRegex = (): void => {
    let j = i + 1;
    let inClass = false;
    while (j < source.length && source[j] !== "\n") {
      const c = source[j];
      if (c === "\\") j += 1;
      else if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) {
        i = j + 1;
        return;
      }
      j += 1;
    }
    i += 1; // not a regex after all: a lone slash
  };

  /** Skips a template literal starting at i (the backtick), scanning its `${}` expressions as code. */
  const skipTemplate = (): void => {
    i += 1;
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "\\") i += 2;
      else if (source[i] === "$" && source[i + 1] === "{") {
        i += 2;
        scanCode(true);
      } else {
        if (source[i] === "\n") line += 1;
        i += 1;
      }
    }
    i += 1;
  };

  /** Code until the end, or (inside `${`) until the brace that closes it. */
  function scanCode(untilClosingBrace: boolean): void {
    let depth = 0;
    let previous = "";
    while (i < source.length) {
      const c = source[i]!;
      const next = source[i + 1];
      if (c === "\n") {
        line += 1;
        i += 1;
      } else if (c === "/" && next === "/") {
        const end = source.indexOf("\n", i);
        const stop = end === -1 ? source.length : end;
        comment(source.slice(i + 2, stop));
        i = stop;
      } else if (c === "/" && next === "*") {
        const end = source.indexOf("*/", i + 2);
        const stop = end === -1 ? source.length : end;
        comment(source.slice(i + 2, stop));
        i = stop + 2;
      } else if (c === '"' || c === "'") {
        skipString(c);
        previous = c;
      } else if (c === "`") {
        skipTemplate();
        previous = c;
      } else if (c === "/" && BEFORE_REGEX.has(previous)) {
        skipRegex();
        previous = "/";
      } else {
        if (c === "{") depth += 1;
        if (c === "}") {
          if (untilClosingBrace && depth === 0) {
            i += 1;
            return;
          }
          depth -= 1;
        }
        if (!/\s/.test(c)) previous = c;
        i += 1;
      }
    }
  }

  scanCode(false);
  return lines;
}
