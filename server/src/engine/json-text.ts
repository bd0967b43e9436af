/** Parsing definition files: JSON.parse, plus a line and column when the text is not JSON. */

export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

/**
 * Parse JSON text; on failure say where, as `line:column` (1-based).
 *
 * @example
 * ```ts
 * parseJsonText('{"a": 1,}'); // { ok: false, message: 'invalid JSON at line 1, column 9: …', line: 1, column: 9 }
 * ```
 */
export function parseJsonText(text: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const reason = (e as Error).message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
    let offset = findJsonErrorOffset(text);
    if (offset < 0) offset = Number(/position (\d+)/.exec((e as Error).message)?.[1] ?? text.length);
    const { line, column } = lineColumn(text, offset);
    return { ok: false, message: `invalid JSON at line ${line}, column ${column}: ${reason}`, line, column };
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

type State = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'commaOrEnd' | 'end';
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/**
 * Offset of the first syntax error in `text`, or -1. Iterative (an explicit stack), so a
 * hostile file nested a million deep cannot overflow the call stack.
 */
export function findJsonErrorOffset(text: string): number {
  const stack: string[] = [];
  let state = 'value' as State;
  let i = 0;
  const afterValue = () => {
    state = stack.length === 0 ? 'end' : 'commaOrEnd';
  };
  const scanString = (): boolean => {
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return true;
      }
      if (c === '\\') {
        const n = text[i + 1];
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i += 2;
        else {
          i++;
          return false;
        }
      } else if (c.charCodeAt(0) < 0x20) return false;
      else i++;
    }
    return false;
  };
  while (true) {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
    if (i >= text.length) return state === 'end' ? -1 : text.length;
    const c = text[i];
    switch (state) {
      case 'end':
        return i;
      case 'colon':
        if (c !== ':') return i;
        i++;
        state = 'value';
        break;
      case 'key':
      case 'keyOrEnd':
        if (c === '}' && state === 'keyOrEnd') {
          stack.pop();
          i++;
          afterValue();
        } else if (c === '"') {
          if (!scanString()) return i;
          state = 'colon';
        } else return i;
        break;
      case 'commaOrEnd': {
        const top = stack[stack.length - 1];
        if (c === ',') {
          i++;
          state = top === '{' ? 'key' : 'value';
        } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
          stack.pop();
          i++;
          afterValue();
        } else return i;
        break;
      }
      case 'value':
      case 'valueOrEnd':
        if (c === ']' && state === 'valueOrEnd') {
          stack.pop();
          i++;
          afterValue();
        } else if (c === '{') {
          stack.push('{');
          i++;
          state = 'keyOrEnd';
        } else if (c === '[') {
          stack.push('[');
          i++;
          state = 'valueOrEnd';
        } else if (c === '"') {
          if (!scanString()) return i;
          afterValue();
        } else {
          NUMBER.lastIndex = i;
          const num = NUMBER.exec(text);
          const lit = LITERALS.find((l) => text.startsWith(l, i));
          if (num && num[0].length > 0) i += num[0].length;
          else if (lit) i += lit.length;
          else return i;
          afterValue();
        }
        break;
    }
  }
}
