import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCobertura, parseJunit, parseLcov, parseReports, ReportError } from './index.js';
import { coverageSchema, testsSchema } from './schemas.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const ajv = new Ajv2020({ strict: false });

describe('parsers on real reports', () => {
  it.each([
    ['lcov-node.info', { line: 92.68, branch: 94.44, function: 83.33, linesFound: 41, linesHit: 38, format: 'lcov' }],
    ['cobertura-istanbul.xml', { line: 80, branch: 88.89, function: 66.67, linesFound: 15, linesHit: 12, format: 'cobertura' }],
    ['cobertura-coveragepy.xml', { line: 72.73, branch: 50, function: null, linesFound: 11, linesHit: 8, format: 'cobertura' }],
  ] as const)('%s → ci.coverage', (name, expected) => {
    const data = (name.endsWith('.info') ? parseLcov : parseCobertura)(fixture(name), name);
    expect(data).toEqual(expected);
    expect(ajv.validate(coverageSchema, data), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('junit-node.xml → ci.tests', () => {
    const data = parseJunit(fixture('junit-node.xml'), 'junit-node.xml');
    expect(data).toEqual({ total: 6, failed: 1, errors: 0, skipped: 1, durationSeconds: 0.005, suites: 2 });
    expect(ajv.validate(testsSchema, data), JSON.stringify(ajv.errors)).toBe(true);
  });
});

describe('lcov details', () => {
  it.each([
    ['summaries only', 'SF:a.js\nLF:10\nLH:4\nBRF:0\nBRH:0\nend_of_record\n', { line: 40, branch: null, function: null, linesFound: 10, linesHit: 4 }],
    ['details win over summaries', 'SF:a.js\nDA:1,1\nDA:2,0\nLF:99\nLH:99\nend_of_record\n', { line: 50, linesFound: 2, linesHit: 1 }],
    ['records of one file merge', 'TN:unit\nSF:a.js\nDA:1,1\nDA:2,0\nend_of_record\nTN:e2e\nSF:a.js\nDA:1,0\nDA:2,3\nend_of_record\n', { line: 100, linesFound: 2, linesHit: 2 }],
    ['BRDA "-" is not taken', 'SF:a.js\nDA:1,1\nBRDA:1,0,0,-\nBRDA:1,0,1,2\nend_of_record\n', { branch: 50 }],
    ['function names with commas, lcov 2 FN with end line', 'SF:a.js\nDA:1,1\nFN:1,5,f(a, b)\nFNDA:2,f(a, b)\nFN:7,g\nFNDA:0,g\nend_of_record\n', { function: 50 }],
    ['lcov 2.2 FNL/FNA', 'SF:a.js\nDA:1,1\nFNL:0,1,3\nFNA:0,4,main\nFNL:1,5\nFNA:1,0,helper\nend_of_record\n', { function: 50 }],
    ['CRLF and unknown records', 'TN:\r\nSF:a.js\r\nVER:abc\r\nXYZ:whatever\r\nDA:1,1,md5sum\r\nend_of_record\r\n', { line: 100 }],
  ])('%s', (_name, text, expected) => {
    expect(parseLcov(text, 'lcov.info')).toMatchObject(expected);
  });
});

describe('malformed reports name the file (and line)', () => {
  it.each([
    ['lcov', 'SF:a.js\nDA:1\nend_of_record\n', 'reports/lcov.info:2: DA record needs "line,count"'],
    ['lcov', 'SF:a.js\nDA:x,1\nend_of_record\n', 'reports/lcov.info:2: DA record: line "x" is not a line number'],
    ['lcov', 'SF:a.js\nDA:1,-3\nend_of_record\n', 'reports/lcov.info:2: DA record: count "-3" is not a non-negative number'],
    ['lcov', 'SF:a.js\nBRDA:1,0,0\nend_of_record\n', 'reports/lcov.info:2: BRDA record needs "line,block,branch,taken"'],
    ['lcov', 'DA:1,1\n', 'reports/lcov.info:1: DA record outside a file record (no SF before it)'],
    ['lcov', 'SF:a.js\nDA:1,1\n', 'reports/lcov.info:3: file ends inside the record for a.js (no end_of_record; truncated upload?)'],
    ['lcov', 'SF:a.js\nSF:b.js\n', 'reports/lcov.info:2: SF record inside the record for a.js (missing end_of_record)'],
    ['lcov', 'end_of_record\n', 'reports/lcov.info:1: end_of_record without a preceding SF record'],
    ['lcov', 'SF:a.js\nLF:3\nLH:5\nend_of_record\n', 'reports/lcov.info:4: lines summary for a.js: hit 5 exceeds found 3'],
    ['lcov', '<?xml version="1.0"?>\n', 'reports/lcov.info:1: expected "KEY:value" or end_of_record'],
    ['lcov', '', 'reports/lcov.info: no coverage records (SF lines) found'],
    ['cobertura', '<coverage line-rate="0.5"><packages>', 'reports/lcov.info:1: malformed XML'],
    ['cobertura', '<testsuites/>', 'reports/lcov.info: root element is <testsuites>, expected <coverage>'],
    ['cobertura', '<coverage line-rate="lots"/>', 'reports/lcov.info: <coverage> attribute line-rate="lots" is not a non-negative number'],
    ['cobertura', '<coverage line-rate="80"/>', 'reports/lcov.info: <coverage> line-rate="80" is above 1'],
    ['junit', '<coverage/>', 'reports/lcov.info: root element is <coverage>, expected <testsuites> or <testsuite>'],
    ['junit', '<testsuites>\n  <testsuite name="a">\n    <testcase name="x">\n  </testsuite>\n</testsuites>', 'reports/lcov.info:4: malformed XML'],
    ['junit', '<testsuites><testsuite name="a"/></testsuites>', 'reports/lcov.info: <testsuite name="a"> has neither test cases nor a tests attribute'],
    ['junit', '<testsuite tests="2" failures="3"/>', 'reports/lcov.info: failures, errors and skipped (3) exceed tests (2)'],
  ] as const)('%s: %s', (kind, text, message) => {
    const parse = { lcov: parseLcov, cobertura: parseCobertura, junit: parseJunit }[kind];
    // The same file name for every row keeps the table short; what matters is that it is named.
    const err = (() => {
      try {
        parse(text, 'reports/lcov.info');
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a ReportError');
    })();
    expect(err).toBeInstanceOf(ReportError);
    expect(err.message.startsWith(message), err.message).toBe(true);
  });
});

describe('JUnit shapes', () => {
  it.each([
    [
      'Surefire single suite with error and skipped',
      `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.larkspur.RouteTest" time="1,234.5" tests="4" errors="1" skipped="1" failures="1">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="plans" classname="com.larkspur.RouteTest" time="0.1"/>
  <testcase name="fails" classname="com.larkspur.RouteTest" time="0.2"><failure message="expected 3" type="AssertionError">trace</failure></testcase>
  <testcase name="errs" classname="com.larkspur.RouteTest" time="0.3"><error message="NPE" type="NullPointerException"/></testcase>
  <testcase name="later" classname="com.larkspur.RouteTest" time="0"><skipped/></testcase>
</testsuite>`,
      { total: 4, failed: 2, errors: 1, skipped: 1, durationSeconds: 1234.5, suites: 1 },
    ],
    [
      'pytest with a root time',
      `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests" time="2.5"><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="2" time="2.4"><testcase classname="t" name="a" time="1"/><testcase classname="t" name="b" time="1.4"/></testsuite></testsuites>`,
      { total: 2, failed: 0, errors: 0, skipped: 0, durationSeconds: 2.5, suites: 1 },
    ],
    [
      'node top-level tests beside suites',
      `<testsuites><testcase name="alone" time="0.5" classname="test"/><testsuite name="s" time="1"><testcase name="x" time="1"/></testsuite></testsuites>`,
      { total: 2, failed: 0, errors: 0, skipped: 0, durationSeconds: 1.5, suites: 1 },
    ],
    [
      'totals only, nested suites counted once',
      `<testsuites><testsuite name="outer" tests="5" failures="1"><testsuite name="a" tests="3" failures="1" skipped="1" time="2"/><testsuite name="b" tests="2" errors="1" time="1"/></testsuite></testsuites>`,
      { total: 5, failed: 2, errors: 1, skipped: 1, durationSeconds: 0, suites: 3 },
    ],
  ])('%s', (_name, xml, expected) => {
    expect(parseJunit(xml, 'junit.xml')).toEqual(expected);
  });
});

describe('XML safety', () => {
  it('does not expand internal entities (billion laughs)', () => {
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE testsuite [\n<!ENTITY lol0 "lol">\n${lol}\n]>\n<testsuite name="&lol9;" tests="1"><testcase name="&lol9;"/></testsuite>`;
    const started = performance.now();
    expect(parseJunit(xml, 'bomb.xml')).toMatchObject({ total: 1 });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('never reads an external entity (XXE)', () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE coverage [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<coverage line-rate="0.5" lines-valid="2" lines-covered="1"><sources><source>&xxe;</source></sources></coverage>`;
    // fast-xml-parser refuses SYSTEM entities outright, which is the safest answer.
    expect(() => parseCobertura(xml, 'xxe.xml')).toThrow(/^xxe\.xml: malformed XML: External entities are not supported/);
  });
});

describe('parseReports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ys-reports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads each given file into one fact', async () => {
    const { facts } = await parseReports({ cobertura: join(fixtures, 'cobertura-istanbul.xml'), junit: join(fixtures, 'junit-node.xml') });
    expect(facts.map((f) => f.id)).toEqual(['ci.coverage', 'ci.tests']);
  });

  it.each([
    [{ lcov: 'nope/lcov.info' }, 'nope/lcov.info: no such file'],
    [{}, 'give at least one report'],
    [{ lcov: 'a.info', cobertura: 'b.xml' }, 'b.xml: give one coverage report'],
  ])('%j fails: %s', async (files, message) => {
    await expect(parseReports(files)).rejects.toThrow(message);
  });

  it('names the file of a malformed report', async () => {
    const bad = join(dir, 'junit.xml');
    writeFileSync(bad, '<testsuites><testsuite></testsuites>');
    await expect(parseReports({ junit: bad })).rejects.toThrow(`${bad}:1: malformed XML`);
  });
});
