import { type CoverageData, type Counter, percent } from './coverage-counts.js';
import { ReportError } from './report-error.js';

/** What one source file contributes, merged over every record naming it. */
interface FileCoverage {
  lines: Map<number, number>;
  branches: Map<string, number>;
  functions: Map<string, number>;
  /** The `LF/LH`, `BRF/BRH`, `FNF/FNH` summaries, used only when a record has no detail lines. */
  summary: { lines?: Counter; branches?: Counter; functions?: Counter };
}

interface Cursor {
  file: string;
  line: number;
}

const SUMMARY_KEYS = {
  LF: ['lines', 'found'],
  LH: ['lines', 'hit'],
  BRF: ['branches', 'found'],
  BRH: ['branches', 'hit'],
  FNF: ['functions', 'found'],
  FNH: ['functions', 'hit'],
} as const;

function fail(at: Cursor, detail: string): never {
  throw new ReportError(at.file, detail, at.line);
}

/** Split `value` into exactly `count` comma-separated fields; the last takes the rest (function names may hold commas). */
function fields(at: Cursor, key: string, value: string, shape: string, min: number, max = min): string[] {
  const parts: string[] = [];
  let rest = value;
  while (parts.length < max - 1) {
    const comma = rest.indexOf(',');
    if (comma < 0) break;
    parts.push(rest.slice(0, comma));
    rest = rest.slice(comma + 1);
  }
  parts.push(rest);
  if (parts.length < min || parts.some((p, i) => p === '' && i < min)) fail(at, `${key} record needs "${shape}"`);
  return parts;
}

function count(at: Cursor, key: string, raw: string, what: string): number {
  const trimmed = raw.trim();
  const n = /^\d+(\.\d+)?([eE]\+?\d+)?$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isFinite(n)) fail(at, `${key} record: ${what} "${raw}" is not a non-negative number`);
  return n;
}

function lineNumber(at: Cursor, key: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) fail(at, `${key} record: line "${raw}" is not a line number`);
  return Number(raw);
}

/**
 * Parse an lcov tracefile (`TN/SF/FN/FNDA/FNF/FNH/DA/LF/LH/BRDA/BRF/BRH/end_of_record`, plus
 * lcov 2's `FNL/FNA`) line by line. Detail records (`DA`, `BRDA`, `FN*`) are authoritative and
 * merged across records naming the same file; a record's `LF/LH`-style summaries are used only
 * when it carries no details. Unknown record types are skipped, as lcov itself does.
 *
 * @example
 * ```ts
 * parseLcov(readFileSync('coverage/lcov.info', 'utf8'), 'coverage/lcov.info');
 * // { line: 80, branch: 88.89, function: 66.67, linesFound: 15, linesHit: 12, format: 'lcov' }
 * ```
 */
export function parseLcov(text: string, file: string): CoverageData {
  const files = new Map<string, FileCoverage>();
  let current: { path: string; cov: FileCoverage; detailed: Set<'lines' | 'branches' | 'functions'>; summary: FileCoverage['summary']} | undefined;
  const at: Cursor = { file, line: 0 };
  const lines = text.split(/\r?\n/);

  for (const raw of lines) {
    at.line++;
    const lineText = raw.trim();
    if (lineText === '') continue;
    if (lineText === 'end_of_record') {
      if (!current) fail(at, 'end_of_record without a preceding SF record');
      for (const kind of ['lines', 'branches', 'functions'] as const) {
        const s = current.summary[kind];
        if (current.detailed.has(kind) || !s) continue;
        if (s.hit > s.found) fail(at, `${kind} summary for ${current.path}: hit ${s.hit} exceeds found ${s.found}`);
        const prev = current.cov.summary[kind] ?? { found: 0, hit: 0 };
        current.cov.summary[kind] = { found: prev.found + s.found, hit: prev.hit + s.hit };
      }
      current = undefined;
      continue;
    }
    const colon = lineText.indexOf(':');
    if (colon <= 0) fail(at, `expected "KEY:value" or end_of_record, got "${lineText.slice(0, 40)}"`);
    const key = lineText.slice(0, colon);
    const value = lineText.slice(colon + 1);

    if (key === 'TN' || key === 'VER') continue;
    if (key === 'SF') {
      if (current) fail(at, `SF record inside the record for ${current.path} (missing end_of_record)`);
      if (value.trim() === '') fail(at, 'SF record needs a source file path');
      const path = value.trim();
      let cov = files.get(path);
      if (!cov) files.set(path, (cov = { lines: new Map(), branches: new Map(), functions: new Map(), summary: {} }));
      current = { path, cov, detailed: new Set(), summary: {} };
      continue;
    }
    if (!current) {
      if (/^[A-Z]+$/.test(key)) fail(at, `${key} record outside a file record (no SF before it)`);
      fail(at, `expected "KEY:value" or end_of_record, got "${lineText.slice(0, 40)}"`);
    }

    switch (key) {
      case 'DA': {
        const [ln, hits] = fields(at, key, value, 'line,count', 2, 3);
        const n = lineNumber(at, key, ln);
        current.cov.lines.set(n, (current.cov.lines.get(n) ?? 0) + count(at, key, hits, 'count'));
        current.detailed.add('lines');
        break;
      }
      case 'BRDA': {
        const [ln, block, branch, taken] = fields(at, key, value, 'line,block,branch,taken', 4);
        lineNumber(at, key, ln);
        const hits = taken.trim() === '-' ? 0 : count(at, key, taken, 'taken');
        const id = `${ln}\u0000${block}\u0000${branch}`;
        current.cov.branches.set(id, (current.cov.branches.get(id) ?? 0) + hits);
        current.detailed.add('branches');
        break;
      }
      case 'FN': {
        // lcov 1: FN:<line>,<name>; lcov 2.0: FN:<line>,<end line>,<name>.
        const parts = fields(at, key, value, 'line,name', 2, 3);
        lineNumber(at, key, parts[0]);
        const name = parts.length === 3 && /^\d+$/.test(parts[1]) ? parts[2] : parts.slice(1).join(',');
        if (!current.cov.functions.has(name)) current.cov.functions.set(name, 0);
        current.detailed.add('functions');
        break;
      }
      case 'FNDA': {
        const [hits, name] = fields(at, key, value, 'count,name', 2);
        current.cov.functions.set(name, (current.cov.functions.get(name) ?? 0) + count(at, key, hits, 'count'));
        current.detailed.add('functions');
        break;
      }
      case 'FNL': {
        // lcov 2.2: FNL:<index>,<line>[,<end line>] declares a function; FNA names it and counts hits.
        const [index, ln] = fields(at, key, value, 'index,line', 2, 3);
        lineNumber(at, key, ln);
        const fn = `#${index}`;
        if (!current.cov.functions.has(fn)) current.cov.functions.set(fn, 0);
        current.detailed.add('functions');
        break;
      }
      case 'FNA': {
        const [index, hits] = fields(at, key, value, 'index,count,name', 3);
        const fn = `#${index}`;
        current.cov.functions.set(fn, (current.cov.functions.get(fn) ?? 0) + count(at, key, hits, 'count'));
        current.detailed.add('functions');
        break;
      }
      case 'LF':
      case 'LH':
      case 'BRF':
      case 'BRH':
      case 'FNF':
      case 'FNH': {
        const [kind, side] = SUMMARY_KEYS[key];
        const n = count(at, key, value, 'count');
        if (!Number.isInteger(n)) fail(at, `${key} record: "${value}" is not a whole number`);
        const s = (current.summary[kind] ??= { found: 0, hit: 0 });
        s[side] = n;
        break;
      }
      default:
        // Unknown or tool-specific record types (e.g. lcov 2's checksums) carry nothing we score.
        break;
    }
  }
  if (current) throw new ReportError(file, `file ends inside the record for ${current.path} (no end_of_record; truncated upload?)`, at.line);
  if (files.size === 0) throw new ReportError(file, 'no coverage records (SF lines) found; is this an lcov tracefile?');

  const total = { lines: { found: 0, hit: 0 }, branches: { found: 0, hit: 0 }, functions: { found: 0, hit: 0 } };
  for (const cov of files.values()) {
    add(total.lines, cov.lines, cov.summary.lines);
    add(total.branches, cov.branches, cov.summary.branches);
    add(total.functions, cov.functions, cov.summary.functions);
  }
  return {
    line: percent(total.lines.hit, total.lines.found),
    branch: percent(total.branches.hit, total.branches.found),
    function: percent(total.functions.hit, total.functions.found),
    linesFound: total.lines.found,
    linesHit: total.lines.hit,
    format: 'lcov',
  };
}

function add(total: Counter, detail: Map<unknown, number>, summary: Counter | undefined): void {
  for (const hits of detail.values()) {
    total.found++;
    if (hits > 0) total.hit++;
  }
  // Details win over summaries: a file with both (from different records) is counted once.
  if (summary && detail.size === 0) {
    total.found += summary.found;
    total.hit += summary.hit;
  }
}
