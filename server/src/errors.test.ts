import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errors } from './errors.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it.each(Object.entries(errors))('lists %s with its status', (code, make) => {
    const status = new make('x').statusCode;
    expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });

  it('lists no code the table does not make', () => {
    const documented = [...doc.matchAll(/\| `(YS_ERR_[A-Z_]+)` \|/g)].map((m) => m[1]);
    expect(documented.filter((c) => !(c in errors))).toEqual([]);
  });
});
