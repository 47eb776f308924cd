/** The token the throughput contenders send, valid on the API server until revoked. */
export const STATIC_TOKEN = 'bench-static-token';
