/**
 * The playground's OAuth callback URLs on its actual origin. The same URLs are registered with the emulators and
 * given to the SDK, so the flows work whatever port the playground got.
 */
export function callbackUrls(origin: string): { light: string; lightfi: string; lightfiRoot: string } {
  return {
    light: `${origin}/callback/light`,
    lightfi: `${origin}/callback/lightfi`,
    // LightFi's default app client knows `http://localhost:3000/`: the root is a callback too.
    lightfiRoot: `${origin}/`,
  };
}
