import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ReportError } from './report-error.js';

/** One XML element: its name, attributes and child elements (text is not kept: reports carry numbers in attributes). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

const ATTRS = ':@';

// Entities are not expanded at all: report figures live in attributes as plain numbers, so
// nothing is lost, and neither an internal DTD (billion laughs) nor an external one (XXE)
// can make the parser do work or read anything. fast-xml-parser never fetches a DTD.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

type Ordered = Record<string, unknown>;

function toElement(node: Ordered): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ATTRS);
  if (!name || name === '#text') return undefined;
  const attrs = (node[ATTRS] ?? {}) as Record<string, string>;
  const kids = (node[name] ?? []) as Ordered[];
  return { name, attrs, children: kids.map(toElement).filter((e): e is XmlElement => e !== undefined) };
}

/** Parse a report's XML into elements; a malformed document throws a {@link ReportError} with the line. */
export function parseXml(text: string, file: string): XmlElement {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) throw new ReportError(file, `malformed XML: ${valid.err.msg}`, valid.err.line);
  let nodes: Ordered[];
  try {
    nodes = parser.parse(text) as Ordered[];
  } catch (err) {
    throw new ReportError(file, `malformed XML: ${(err as Error).message}`);
  }
  const roots = nodes.map(toElement).filter((e): e is XmlElement => e !== undefined);
  if (roots.length !== 1) throw new ReportError(file, roots.length === 0 ? 'no root element' : 'more than one root element');
  return roots[0];
}

/** Every descendant element named `name`, depth first, in document order. */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/**
 * A numeric attribute: undefined when absent, a {@link ReportError} naming file, element and
 * attribute when present but not a number. Thousands separators ("1,234.5") are accepted.
 */
export function numberAttr(el: XmlElement, attr: string, file: string): number | undefined {
  const raw = el.attrs[attr];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw.replace(/,/g, '').trim());
  if (!Number.isFinite(value) || value < 0) {
    throw new ReportError(file, `<${el.name}> attribute ${attr}="${raw}" is not a non-negative number`);
  }
  return value;
}
