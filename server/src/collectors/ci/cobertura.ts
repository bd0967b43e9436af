import { type CoverageData, percent } from './coverage-counts.js';
import { ReportError } from './report-error.js';
import { childrenNamed, descendants, numberAttr, parseXml, type XmlElement } from './xml.js';

/**
 * Parse a Cobertura XML report (as written by coverage.py, istanbul/c8/nyc, JaCoCo converters,
 * gcovr). Line and branch figures come from the root's `lines-valid/lines-covered` and
 * `branches-valid/branches-covered` counts, else from its `line-rate/branch-rate`. Function
 * coverage counts `<method>` elements (hit when `hits` > 0 or any of its lines was hit); it is
 * null when the tool writes no methods (coverage.py). Branch coverage is null when no branches
 * were measured (`branches-valid="0"`, e.g. coverage.py without `--branch`).
 *
 * @example
 * ```ts
 * parseCobertura(readFileSync('coverage.xml', 'utf8'), 'coverage.xml');
 * // { line: 72.73, branch: 50, function: null, linesFound: 11, linesHit: 8, format: 'cobertura' }
 * ```
 */
export function parseCobertura(text: string, file: string): CoverageData {
  const root = parseXml(text, file);
  if (root.name !== 'coverage') throw new ReportError(file, `root element is <${root.name}>, expected <coverage> (Cobertura)`);

  const classes = descendants(root, 'class');
  const classLines = classes.flatMap((c) => childrenNamed(c, 'lines').flatMap((l) => childrenNamed(l, 'line')));
  const hits = (line: XmlElement) => numberAttr(line, 'hits', file) ?? 0;

  let linesFound = numberAttr(root, 'lines-valid', file);
  let linesHit = numberAttr(root, 'lines-covered', file);
  if (linesFound === undefined || linesHit === undefined) {
    // Old Cobertura writes only rates: count the class line elements instead.
    linesFound = classLines.length;
    linesHit = classLines.filter((l) => hits(l) > 0).length;
  }
  if (linesHit > linesFound) throw new ReportError(file, `<coverage> lines-covered ${linesHit} exceeds lines-valid ${linesFound}`);

  const lineRate = numberAttr(root, 'line-rate', file);
  const line = linesFound > 0 ? percent(linesHit, linesFound) : rate(lineRate, file, 'line-rate');

  const branchesFound = numberAttr(root, 'branches-valid', file);
  const branchesHit = numberAttr(root, 'branches-covered', file);
  let branch: number | null;
  if (branchesFound !== undefined && branchesHit !== undefined) branch = percent(branchesHit, branchesFound);
  else branch = rate(numberAttr(root, 'branch-rate', file), file, 'branch-rate');

  const methods = descendants(root, 'method');
  const methodHit = (m: XmlElement) => {
    const own = numberAttr(m, 'hits', file);
    if (own !== undefined) return own > 0;
    return descendants(m, 'line').some((l) => hits(l) > 0);
  };
  const fn = methods.length > 0 ? percent(methods.filter(methodHit).length, methods.length) : null;

  return { line, branch, function: fn, linesFound, linesHit, format: 'cobertura' };
}

function rate(value: number | undefined, file: string, attr: string): number | null {
  if (value === undefined) return null;
  if (value > 1) throw new ReportError(file, `<coverage> ${attr}="${value}" is above 1 (rates are fractions)`);
  return Math.round(value * 10_000) / 100;
}
