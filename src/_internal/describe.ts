/** Renders a value and its type for error messages: `` `1.5` (number) ``. */
export function _describe(value: unknown): string {
  let shown: string;
  if (typeof value === 'string')
    shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  else if (typeof value === 'bigint') shown = `${value}n`;
  else if (typeof value === 'function') shown = value.name ? `function ${value.name}` : 'function';
  else if (Array.isArray(value)) shown = `array(${value.length})`;
  else if (value instanceof Float64Array || value instanceof Int32Array || value instanceof Uint8Array)
    shown = `${value.constructor.name}(${value.length})`;
  else if (value !== null && typeof value === 'object') {
    const name = (value as object).constructor?.name;
    shown = name && name !== 'Object' ? name : 'object';
  } else shown = String(value);
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return `\`${shown}\` (${type})`;
}
