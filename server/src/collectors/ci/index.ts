export { ciCollector } from './collector.js';
export { coverageSchema, testsSchema } from './schemas.js';
export { parseLcov } from './lcov.js';
export { parseCobertura } from './cobertura.js';
export { parseJunit, type TestsData } from './junit.js';
export { parseReports, type ReportFiles, type ReportFact } from './parse-reports.js';
export { ReportError } from './report-error.js';
export type { CoverageData } from './coverage-counts.js';
