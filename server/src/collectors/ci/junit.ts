import { ReportError } from './report-error.js';
import { descendants, numberAttr, parseXml, type XmlElement } from './xml.js';

/** The `ci.tests` fact's data. */
export interface TestsData {
  total: number;
  /** Tests that did not pass: JUnit failures plus errors (a test with both counts once). */
  failed: number;
  /** Of the failed tests, those that errored (`<error>`) rather than failed an assertion. */
  errors: number;
  skipped: number;
  durationSeconds: number;
  suites: number;
  commit?: string;
}

/**
 * Parse a JUnit XML report (`<testsuites>` or a single `<testsuite>`), as written by Surefire,
 * pytest, Jest/Vitest, Go's gotestsum, node's test runner and most others.
 *
 * When the report lists `<testcase>` elements they are counted (a `<failure>`, `<error>` or
 * `<skipped>` child decides the outcome): this is exact where the suites' own totals are
 * missing or disagree, and it also counts test cases placed directly under `<testsuites>`
 * (node's runner does that for top-level tests). A report with no test cases falls back to the
 * suites' `tests/failures/errors/skipped` attributes. Duration is the root's `time`, else the
 * sum of the top-level suites' and test cases' `time`, else the sum of the test cases' `time`.
 *
 * @example
 * ```ts
 * parseJunit(readFileSync('junit.xml', 'utf8'), 'junit.xml');
 * // { total: 6, failed: 1, errors: 0, skipped: 1, durationSeconds: 0.005, suites: 2 }
 * ```
 */
export function parseJunit(text: string, file: string): TestsData {
  const root = parseXml(text, file);
  if (root.name !== 'testsuites' && root.name !== 'testsuite') {
    throw new ReportError(file, `root element is <${root.name}>, expected <testsuites> or <testsuite> (JUnit XML)`);
  }
  const suites = root.name === 'testsuite' ? [root, ...descendants(root, 'testsuite')] : descendants(root, 'testsuite');
  const cases = descendants(root, 'testcase');
  const num = (el: XmlElement, attr: string) => numberAttr(el, attr, file);

  let total = 0;
  let failed = 0;
  let errors = 0;
  let skipped = 0;
  if (cases.length > 0) {
    for (const tc of cases) {
      total++;
      const kinds = new Set(tc.children.map((c) => c.name));
      if (kinds.has('error')) {
        failed++;
        errors++;
      } else if (kinds.has('failure')) failed++;
      else if (kinds.has('skipped')) skipped++;
    }
  } else {
    // Only totals: sum the innermost suites so nested suites are not counted twice.
    const leaves = suites.filter((s) => descendants(s, 'testsuite').length === 0);
    const sources = leaves.length > 0 ? leaves : [root];
    for (const s of sources) {
      const tests = num(s, 'tests');
      if (tests === undefined) throw new ReportError(file, `<${s.name}${s.attrs.name ? ` name="${s.attrs.name}"` : ''}> has neither test cases nor a tests attribute`);
      const f = num(s, 'failures') ?? 0;
      const e = num(s, 'errors') ?? 0;
      total += tests;
      failed += f + e;
      errors += e;
      skipped += num(s, 'skipped') ?? num(s, 'disabled') ?? 0;
    }
    if (failed + skipped > total) throw new ReportError(file, `failures, errors and skipped (${failed + skipped}) exceed tests (${total})`);
  }

  // Top level: the outermost suites and any test cases placed directly under <testsuites>.
  const top = root.name === 'testsuite' ? [root] : root.children.filter((c) => c.name === 'testsuite' || c.name === 'testcase');
  const sum = (els: XmlElement[]) => els.reduce((acc, el) => acc + (num(el, 'time') ?? 0), 0);
  const duration = num(root, 'time') ?? (top.some((s) => s.name === 'testsuite' && s.attrs.time !== undefined) ? sum(top) : sum(cases));

  return {
    total,
    failed,
    errors,
    skipped,
    durationSeconds: Math.round(duration * 1000) / 1000,
    suites: suites.length,
  };
}
