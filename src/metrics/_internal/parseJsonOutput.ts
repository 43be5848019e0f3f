/** Result of reading a model output as JSON. */
export type _JsonParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

const FENCE = /^\s*```[A-Za-z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/;

/** `JSON.parse` of the output, optionally unwrapping one Markdown code fence around it first. */
export function _parseJsonOutput(output: string, codeFence: boolean): _JsonParse {
  let text = output;
  if (codeFence) {
    const m = FENCE.exec(output);
    if (m) text = m[1];
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
