import { readFile } from 'node:fs/promises';
import { parseCobertura } from './cobertura.js';
import type { CoverageData } from './coverage-counts.js';
import { parseJunit, type TestsData } from './junit.js';
import { parseLcov } from './lcov.js';
import { ReportError } from './report-error.js';

/** Paths of the report files to read; at least one. */
export interface ReportFiles {
  lcov?: string;
  cobertura?: string;
  junit?: string;
}

export type ReportFact = { id: 'ci.coverage'; data: CoverageData } | { id: 'ci.tests'; data: TestsData };

/**
 * Read and parse CI report files into `ci.coverage` and `ci.tests` facts (not yet tied to an
 * entity). Throws {@link ReportError} naming the file for a missing, unreadable or malformed report.
 *
 * @example
 * ```ts
 * const { facts } = await parseReports({ lcov: 'coverage/lcov.info', junit: 'junit.xml' });
 * // [{ id: 'ci.coverage', data: { line: 80, … } }, { id: 'ci.tests', data: { total: 6, failed: 1, … } }]
 * ```
 */
export async function parseReports(files: ReportFiles): Promise<{ facts: ReportFact[] }> {
  if (!files.lcov && !files.cobertura && !files.junit) throw new ReportError('(no file)', 'give at least one report: lcov, cobertura or junit');
  if (files.lcov && files.cobertura) {
    throw new ReportError(files.cobertura, `give one coverage report, not both lcov (${files.lcov}) and Cobertura`);
  }
  const facts: ReportFact[] = [];
  if (files.lcov) facts.push({ id: 'ci.coverage', data: parseLcov(await read(files.lcov), files.lcov) });
  if (files.cobertura) facts.push({ id: 'ci.coverage', data: parseCobertura(await read(files.cobertura), files.cobertura) });
  if (files.junit) facts.push({ id: 'ci.tests', data: parseJunit(await read(files.junit), files.junit) });
  return { facts };
}

async function read(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportError(file, code === 'ENOENT' ? 'no such file' : `cannot read: ${(err as Error).message}`);
  }
}
