/**
 * A minimal instance of a JSON Schema, so the echo fallback can answer `json_schema` requests with valid JSON.
 * @module
 */

type _Schema = Readonly<Record<string, unknown>>;

/**
 * Builds a small value that satisfies common JSON Schema shapes: `const`, `enum` (first value), `anyOf` /
 * `oneOf` (first branch), local `$ref`s, objects (every listed property), arrays (`minItems` items), strings
 * (`text`), numbers (`minimum` or 0), booleans (`false`), `null`.
 */
export function _schemaInstance(schema: unknown, text: string, root: unknown = schema, depth = 0): unknown {
  if (schema === null || typeof schema !== 'object' || depth > 16) return text;
  const s = schema as _Schema;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (typeof s.$ref === 'string') return _schemaInstance(_resolveRef(s.$ref, root), text, root, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0)
      return _schemaInstance(branches[0], text, root, depth + 1);
  }
  let type = s.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? 'null';
  if (type === undefined && typeof s.properties === 'object') type = 'object';
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, unknown>;
      for (const [name, sub] of Object.entries(props))
        out[name] = _schemaInstance(sub, text, root, depth + 1);
      return out;
    }
    case 'array': {
      const n = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: n }, () => _schemaInstance(s.items, text, root, depth + 1));
    }
    case 'number':
    case 'integer':
      return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return text;
  }
}

function _resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
