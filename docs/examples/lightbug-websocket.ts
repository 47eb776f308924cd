import type { LightbugAuth } from '@auth/lightbug';

/** A websocket on Lightbug's live updates, the token in its URL. */
export async function liveUpdates(auth: LightbugAuth): Promise<WebSocket> {
  return new WebSocket(await auth.websocketUrl('/v2/ws')); // wss://api.lightbug.cloud/v2/ws?authorization=<token>
}
