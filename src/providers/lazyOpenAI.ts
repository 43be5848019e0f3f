import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type OpenAI from 'openai';
import { _describeClient } from './_wrapClient.js';
import { wrapOpenAI } from './wrapOpenAI.js';

/** The `openai` versions evalgate is tested with (its peer dependency range). @internal */
export const _SUPPORTED_OPENAI = '^6.0.0 || ^7.0.0';

const SUPPORTED_MAJORS: ReadonlySet<number> = new Set([6, 7]);

/** What a client must have, per use: the method evalgate calls on it. */
const METHODS = {
  chat: ['chat', 'completions', 'create'],
  embeddings: ['embeddings', 'create'],
} as const;

const require = createRequire(import.meta.url);

/**
 * The version of the `openai` package this process resolves (the peer the user installed), or `undefined` when
 * none is installed. @internal
 */
export function _installedOpenAIVersion(): string | undefined {
  let dir: string;
  try {
    // openai's `exports` do not list package.json: find it above the resolved entry.
    dir = dirname(require.resolve('openai'));
  } catch {
    return undefined;
  }
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'openai') return pkg.version;
    } catch {
      // no package.json here: one folder up
    }
  }
  return undefined;
}

function installedText(): string {
  const v = _installedOpenAIVersion();
  return v === undefined ? 'openai is not installed' : `installed: openai ${v}`;
}

function hasPath(value: unknown, path: readonly string[]): boolean {
  let at: unknown = value;
  for (const key of path) {
    if (at === null || (typeof at !== 'object' && typeof at !== 'function')) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'function';
}

/** `new OpenAI()` from the installed peer, or an error saying what to install. */
function defaultClient(): OpenAI {
  const version = _installedOpenAIVersion();
  if (version === undefined)
    throw new Error(
      `evalgate needs the \`openai\` package (${_SUPPORTED_OPENAI}) to create an OpenAI client when no \`client\` is given: run \`npm install openai\`, or pass a \`client\``,
    );
  const major = Number(version.split('.')[0]);
  if (!SUPPORTED_MAJORS.has(major))
    throw new Error(
      `evalgate supports openai ${_SUPPORTED_OPENAI}; installed: openai ${version}. Run \`npm install openai@latest\`, or pass a \`client\` with the same methods`,
    );
  const { OpenAI: Client } = require('openai') as { OpenAI: new () => OpenAI };
  return new Client();
}

/**
 * The one client block of `openaiModel()`, the judges and `openaiEmbedder()`: checks the `client` option and
 * returns a getter of the wrapped client, created on first use so that importing or configuring never needs
 * `OPENAI_API_KEY` (nor the `openai` package, when a client is given).
 *
 * The check is structural — the client has the method evalgate calls (`chat.completions.create`, or
 * `embeddings.create` for embeddings) — so a client of openai 6 or 7, an `AzureOpenAI`, or a client from another
 * copy of the package than evalgate would resolve all pass; `instanceof` would refuse all but one copy.
 * @param client - the user's client. @default `new OpenAI()` from the installed `openai` (reads `OPENAI_API_KEY`
 *   / `OPENAI_BASE_URL`)
 * @param use - which method the caller needs. @default 'chat'
 * @throws {TypeError} When `client` lacks the method; the message names the installed openai version and the
 *   supported range.
 * @internal
 */
export function lazyOpenAI(client: unknown, use: keyof typeof METHODS = 'chat'): () => OpenAI {
  if (client !== undefined && !hasPath(client, METHODS[use]))
    throw new TypeError(
      `Expected \`client\` to be an OpenAI client (openai ${_SUPPORTED_OPENAI}) with a \`${METHODS[use].join('.')}\` method, got ${_describeClient(client)} without it (${installedText()})`,
    );
  let wrapped: OpenAI | undefined;
  return () => {
    wrapped ??= wrapOpenAI((client as OpenAI | undefined) ?? defaultClient());
    return wrapped;
  };
}
