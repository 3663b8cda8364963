// XML side of HL7 aECG import: fast-xml-parser turns the document into plain objects, and these
// helpers walk them. Namespace prefixes are dropped (aECG uses the HL7 v3 default namespace and
// xsi:type), and the elements that may repeat are always arrays so navigation needs no guessing.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { EcgError } from './model.js';

export type XmlNode = Record<string, unknown>;

const REPEATING = new Set([
  'component',
  'series',
  'derivedSeries',
  'sequenceSet',
  'sequence',
  'controlVariable',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Entities beyond the XML built-ins are refused before parsing (see parseAecgXml); HTML
  // entities have no business in an aECG either.
  htmlEntities: false,
  isArray: (name) => REPEATING.has(name),
});

/** Parses and validates the XML; errors name the line, never quote content. */
export function parseAecgXml(text: string): XmlNode {
  // An internal DTD could declare entities that expand exponentially ("billion laughs"); aECG
  // documents never carry one, so refuse instead of trusting the parser's limits.
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new EcgError(
      'unsupported',
      'HL7 aECG documents with a DOCTYPE or entity declarations are not accepted',
    );
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new EcgError(
      'malformed',
      `the HL7 aECG XML is not well-formed (line ${valid.err.line}, column ${valid.err.col})`,
    );
  }
  const doc = parser.parse(text) as XmlNode;
  const root = doc['AnnotatedECG'];
  if (!root || typeof root !== 'object') {
    throw new EcgError(
      'unrecognised-format',
      'the XML is not an HL7 aECG document (root element is not AnnotatedECG)',
    );
  }
  return root as XmlNode;
}

export function child(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first && typeof first === 'object' ? (first as XmlNode) : undefined;
}

export function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is XmlNode => !!x && typeof x === 'object');
}

/** Follows a path of element names, taking the first match at each step. */
export function path(node: unknown, ...names: string[]): XmlNode | undefined {
  let n: unknown = node;
  for (const name of names) n = child(n, name);
  return n as XmlNode | undefined;
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[`@${name}`];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Text content of an element that may also carry attributes. */
export function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node.trim() || undefined;
  if (node && typeof node === 'object') {
    const t = (node as XmlNode)['#text'];
    if (typeof t === 'string') return t.trim() || undefined;
  }
  return undefined;
}

/** Text of the first `name` child (a text-only element is a bare string after parsing). */
export function childText(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  return text(Array.isArray(v) ? v[0] : v);
}

/** `<x value=".." unit=".."/>` as a number and unit. */
export function quantity(node: XmlNode | undefined): { value: number; unit?: string } | undefined {
  const v = attr(node, 'value');
  if (v === undefined) return undefined;
  const value = Number(v);
  if (!Number.isFinite(value)) return undefined;
  const unit = attr(node, 'unit');
  return unit ? { value, unit } : { value };
}
