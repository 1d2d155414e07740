import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  stringify,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';

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
  // yaml's own uniqueKeys check compares each key with every key before it: 20,000 keys took 10 s. indexMaps()
  // finds duplicates with one Map per mapping instead.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const problems = [...doc.errors, ...doc.warnings].map((error) => ({
    ...at(error.pos[0]),
    message: error.message.split('\n')[0] ?? error.message,
  }));
  // Forbidden keys are reported and dropped, so the rest of the file is still validated and reported at once.
  const { index, duplicates, forbidden } = indexMaps(doc, at);
  problems.push(...duplicates, ...forbidden);
  let value: unknown;
  if (problems.length === forbidden.length) {
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
      const node = nodeAt(doc, index, path, atKey);
      return node?.range ? at(node.range[0]) : undefined;
    },
  };
}

/** The YAML text for printing an effective config; lives here so that yaml stays in this lazily loaded module. */
/** Long lines stay whole: a folded PromQL expression or template is harder to read and to grep. */
export const stringifyYaml = (value: unknown): string => stringify(value, { lineWidth: 0 });

type Problem = { line: number; col: number; message: string };

/**
 * One pass over every mapping: each gets a key → pair index (so that finding an issue's position costs its depth,
 * not a scan per level: 20,000 unknown keys took 7 s that way), duplicate keys are reported as yaml would, and
 * keys that could reach Object.prototype are reported and dropped.
 */
function indexMaps(doc: Document, at: (offset: number) => { line: number; col: number }) {
  const index = new WeakMap<YAMLMap, Map<string, Pair>>();
  const duplicates: Problem[] = [];
  const forbidden: Problem[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const keys = new Map<string, Pair>();
      node.items = node.items.filter((pair) => {
        if (!isScalar(pair.key)) return true;
        const key = String(pair.key.value);
        const where = at(pair.key.range?.[0] ?? 0);
        if (FORBIDDEN_KEYS.has(key)) {
          forbidden.push({ ...where, message: `key "${key}" is not allowed` });
          return false;
        }
        if (keys.has(key)) duplicates.push({ ...where, message: 'Map keys must be unique' });
        else keys.set(key, pair);
        return true;
      });
      index.set(node, keys);
      for (const pair of node.items) walk(pair.value);
    } else if (isSeq(node)) node.items.forEach(walk);
  };
  walk(doc.contents);
  return { index, duplicates, forbidden };
}

function nodeAt(
  doc: Document,
  index: WeakMap<YAMLMap, Map<string, Pair>>,
  path: readonly (string | number)[],
  atKey: boolean,
): Node | undefined {
  let node: unknown = doc.contents;
  let fallback: Node | undefined = doc.contents ?? undefined;
  for (const [position, key] of path.entries()) {
    if (isMap(node)) {
      const pair = index.get(node)?.get(String(key));
      if (!pair) return fallback;
      if (atKey && position === path.length - 1) return pair.key as Node;
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
