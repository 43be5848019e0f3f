/**
 * The gpt-tokenizer options of every count evalgate makes (the TPM estimate, estimateCost, the mock server's usage
 * and log-probabilities): no special token is refused. Text spelling one (`<|endoftext|>` in a dataset about
 * tokenizers, a prompt-injection probe) is text, which a provider counts as ordinary tokens; gpt-tokenizer's
 * default throws on it ("Disallowed special token found").
 * @example
 * ```ts
 * countTokens('a <|endoftext|> b', _AS_TEXT); // => 9, where countTokens('a <|endoftext|> b') throws
 * ```
 * @internal
 */
export const _AS_TEXT = { disallowedSpecial: new Set<string>() };
