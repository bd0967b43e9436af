import { LineCounter, parseAllDocuments } from 'yaml';
import type { CatalogProblem } from './types.js';

/** One YAML document of a catalog file, with where it starts. */
export interface YamlDocument {
  /** 0-based position in the file. */
  index: number;
  /** 1-based line the document's content starts on. */
  line: number;
  value: unknown;
}

/**
 * Splits a (multi-document) YAML text into plain values. A document with a syntax error is
 * reported as a problem naming the file and line, and skipped; empty documents are ignored.
 * Aliases are capped by the `yaml` library's default `maxAliasCount`, so a "billion laughs"
 * document fails instead of exhausting memory.
 *
 * @example
 * `readYamlDocuments('kind: Group\n---\nkind: User\n', 'org.yaml').documents.length` → 2
 */
export function readYamlDocuments(text: string, file: string): { documents: YamlDocument[]; problems: CatalogProblem[] } {
  const lineCounter = new LineCounter();
  const documents: YamlDocument[] = [];
  const problems: CatalogProblem[] = [];
  parseAllDocuments(text, { lineCounter, prettyErrors: true }).forEach((doc, index) => {
    // The first line of content, not the `---` marker before it.
    const line = lineCounter.linePos(doc.contents?.range[0] ?? doc.range[0]).line;
    const [error] = doc.errors;
    if (error) {
      const errorLine = error.linePos?.[0]?.line ?? line;
      problems.push({ file, document: index, line: errorLine, message: `YAML syntax error at line ${errorLine}: ${error.message.split('\n')[0]}` });
      return;
    }
    try {
      const value = doc.toJS({ maxAliasCount: 100 });
      if (value !== null && value !== undefined) documents.push({ index, line, value });
    } catch (e) {
      problems.push({ file, document: index, line, message: `YAML could not be read: ${(e as Error).message}` });
    }
  });
  return { documents, problems };
}
