import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Node } from 'yaml';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ParsedFile {
  value: unknown;
  /** Problems found while parsing, with their own line:col already known; value is undefined when fatal. */
  problems: { line: number; col: number; message: string }[];
  /** Where a dot path sits in the file, for messages about values that parsed but failed validation. */
  positionOf(path: readonly (string | number)[], atKey: boolean): { line: number; col: number } | undefined;
}

/**
 * Parses YAML (and JSON, which YAML 1.2 reads with positions intact). Alias expansion is capped so that a
 * "billion laughs" file fails in milliseconds, and keys that could reach Object.prototype are refused.
 */
export function parseConfigText(text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const problems = [...doc.errors, ...doc.warnings].map((error) => ({
    ...at(error.pos[0]),
    message: error.message.split('\n')[0] ?? error.message,
  }));
  const syntaxBroken = problems.length > 0;
  // Forbidden keys are reported and dropped, so the rest of the file is still validated and reported at once.
  problems.push(...removeForbiddenKeys(doc, at));
  let value: unknown;
  if (!syntaxBroken) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push({ line: 1, col: 1, message: `refused: ${(error as Error).message}` });
    }
  }
  return {
    value,
    problems,
    positionOf(path, atKey) {
      const node = nodeAt(doc, path, atKey);
      return node?.range ? at(node.range[0]) : undefined;
    },
  };
}

/** The YAML text for printing an effective config; lives here so that yaml stays in this lazily loaded module. */
/** Long lines stay whole: a folded PromQL expression or template is harder to read and to grep. */
export const stringifyYaml = (value: unknown): string => stringify(value, { lineWidth: 0 });

function removeForbiddenKeys(doc: Document, at: (offset: number) => { line: number; col: number }) {
  const found: { line: number; col: number; message: string }[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      node.items = node.items.filter((pair) => {
        if (!isScalar(pair.key) || !FORBIDDEN_KEYS.has(String(pair.key.value))) return true;
        found.push({ ...at(pair.key.range?.[0] ?? 0), message: `key "${String(pair.key.value)}" is not allowed` });
        return false;
      });
      for (const pair of node.items) walk(pair.value);
    } else if (isSeq(node)) node.items.forEach(walk);
  };
  walk(doc.contents);
  return found;
}

function nodeAt(doc: Document, path: readonly (string | number)[], atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let fallback: Node | undefined = doc.contents ?? undefined;
  for (const [index, key] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key),
      );
      if (!pair) return fallback;
      if (atKey && index === path.length - 1) return pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
    } else {
      return fallback;
    }
    if (node && typeof node === 'object' && 'range' in node) fallback = node as Node;
  }
  return fallback;
}
