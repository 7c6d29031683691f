/**
 * JSON request bodies as Python's `json.loads` reads them: standard JSON plus the
 * bare tokens `NaN`, `Infinity` and `-Infinity`, which pandas' `to_json` and Python
 * clients may send. They become the JS numbers NaN / ±Infinity, so the model (not
 * the parser) decides what a missing or infinite value means.
 * @packageDocumentation
 */

const MARK = '\u0000wasmlearn-float:';

/**
 * Parses a JSON text, accepting `NaN`, `Infinity`, `-Infinity` outside strings.
 * Standard JSON takes the fast path (`JSON.parse` once); only a text that fails it is
 * rescanned. Cost: one pass over the text, plus a second parse on the slow path.
 *
 * @param text - the JSON text
 * @returns the parsed value
 * @throws SyntaxError - the text is not JSON even with the extra tokens (the
 *   message is the standard parser's on the original text)
 * @example
 * parseJsonLenient('{"x": [1, NaN, -Infinity]}');
 * // => { x: [1, NaN, -Infinity] }
 */
export function parseJsonLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    if (!/NaN|Infinity/.test(text)) throw first;
    const rewritten = rewriteFloatTokens(text);
    if (rewritten === null) throw first;
    try {
      return JSON.parse(rewritten, (_key, value) => {
        if (typeof value === 'string' && value.startsWith(MARK)) {
          const t = value.slice(MARK.length);
          return t === 'NaN' ? NaN : t === 'Infinity' ? Infinity : -Infinity;
        }
        return value;
      });
    } catch {
      throw first;
    }
  }
}

/** Replaces the bare float tokens outside strings by marker strings; null when none. */
function rewriteFloatTokens(text: string): string | null {
  const parts: string[] = [];
  let last = 0;
  let found = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Skip a string literal, honouring backslash escapes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) { i++; break; }
        else i++;
      }
      continue;
    }
    let token: string | null = null;
    if (c === 78 /* N */ && text.startsWith('NaN', i)) token = 'NaN';
    else if (c === 73 /* I */ && text.startsWith('Infinity', i)) token = 'Infinity';
    else if (c === 45 /* - */ && text.startsWith('-Infinity', i)) token = '-Infinity';
    if (token !== null) {
      parts.push(text.slice(last, i), JSON.stringify(MARK + token));
      i += token.length;
      last = i;
      found = true;
      continue;
    }
    i++;
  }
  if (!found) return null;
  parts.push(text.slice(last));
  return parts.join('');
}
