import type { TokenSet } from '@auth/core';
import type { LightFiAuth } from '@auth/lightfi';

/** Keeps every new TokenSet in your own storage (`save`), from the `tokens` event. */
export function keepTokens(lightfi: LightFiAuth, save: (tokens: TokenSet) => void): () => void {
  return lightfi.on('tokens', ({ tokens }) => save(tokens));
}

/** Resumes from a TokenSet kept that way, in a new process. */
export async function resume(lightfi: LightFiAuth, savedTokens: TokenSet) {
  await lightfi.setTokens(savedTokens);
  return lightfi.listLocations();
}
