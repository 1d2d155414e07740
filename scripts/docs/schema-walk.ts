// Reads a valibot schema as documentation: every key with its type, default and description. valibot keeps a
// schema as plain objects (type, wrapped, entries, pipe of actions), so walking it needs no second source of truth.

export interface SchemaNode {
  kind: string;
  type: string;
  pipe?: SchemaNode[];
  wrapped?: SchemaNode;
  default?: unknown;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  key?: SchemaNode;
  value?: SchemaNode;
  options?: SchemaNode[] | readonly string[];
  literal?: unknown;
  description?: string;
  requirement?: unknown;
  key_?: string;
}

export interface KeyRow {
  path: string;
  type: string;
  description: string;
  /** The schema below this key, for a caller that documents it apart (sinks, notifiers). */
  node: SchemaNode;
}

/** The description in a schema's pipe, wherever the pipe wraps it (optional inside pipe or pipe inside optional). */
export function descriptionOf(node: SchemaNode): string {
  for (const action of node.pipe ?? [])
    if (action.type === 'description' && action.description) return action.description;
  return node.wrapped ? descriptionOf(node.wrapped) : '';
}

/** What is left once optional, nullable and the pipe's root are taken off. */
export function unwrap(node: SchemaNode): SchemaNode {
  let current = node;
  for (;;) {
    if ((current.type === 'optional' || current.type === 'nullable' || current.type === 'nullish') && current.wrapped)
      current = current.wrapped;
    else return current;
  }
}

const bounds = (node: SchemaNode): string => {
  const parts: string[] = [];
  for (const action of node.pipe ?? []) {
    if (action.type === 'integer') parts.unshift('integer');
    if (action.type === 'min_value') parts.push(`≥ ${String(action.requirement)}`);
    if (action.type === 'max_value') parts.push(`≤ ${String(action.requirement)}`);
    if (action.type === 'min_length' && action.requirement === 1) parts.push('not empty');
  }
  return parts.join(' ');
};

/** A type in words: "integer ≥ 1", "duration", "list of string", "one of `table`, `json`". */
export function typeOf(schema: SchemaNode): string {
  const node = unwrap(schema);
  const pipeTypes = new Set((node.pipe ?? []).map((action) => action.type));
  if (pipeTypes.has('raw_transform') && node.type === 'union') return 'duration (seconds, or "30s", "5m", "1h")';
  switch (node.type) {
    case 'string':
      return ['string', bounds(node)].filter(Boolean).join(', ');
    case 'number': {
      const limits = bounds(node);
      return limits.startsWith('integer') ? limits : ['number', limits].filter(Boolean).join(' ');
    }
    case 'boolean':
      return 'boolean';
    case 'literal':
      return `\`${JSON.stringify(node.literal)}\``;
    case 'picklist':
      return `one of ${(node.options as readonly string[]).map((option) => `\`${option}\``).join(', ')}`;
    case 'array':
      return `list of ${node.item ? typeOf(node.item) : 'values'}`;
    case 'record':
      return `map of name → ${node.value ? typeOf(node.value) : 'value'}`;
    case 'union':
    case 'variant':
      return (node.options as SchemaNode[]).map(typeOf).join(' or ');
    case 'object':
    case 'strict_object':
      return 'mapping';
    default:
      return node.type;
  }
}

/** Every key under an object schema, depth first, with dotted paths; objects list their children after them. */
export function walkKeys(schema: SchemaNode, prefix = '', stop: (path: string) => boolean = () => false): KeyRow[] {
  const node = unwrap(schema);
  const rows: KeyRow[] = [];
  for (const [key, child] of Object.entries(node.entries ?? {})) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    rows.push({ path, type: typeOf(child), description: descriptionOf(child), node: child });
    const inner = unwrap(child);
    if ((inner.type === 'strict_object' || inner.type === 'object') && !stop(path))
      rows.push(...walkKeys(inner, path, stop));
  }
  return rows;
}

/** The value at a dotted path of an object, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A default as it would be written in YAML, short: objects of defaults are described by their keys instead. */
export function formatDefault(value: unknown): string {
  if (value === undefined) return '';
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.keys(value).length === 0 ? '`{}`' : '';
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `\`${text.slice(0, 57)}…\`` : `\`${text}\``;
}
