/**
 * A CI report that cannot be read. The message always names the file, and the line when the
 * format has lines to point at: `reports/lcov.info:12: DA record needs "line,count"`.
 */
export class ReportError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'ReportError';
  }
}
