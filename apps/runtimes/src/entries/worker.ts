/** workerd: a module worker that runs the suite for the config POSTed to it and answers the results. */
import { runSmoke, type SmokeConfig } from '../smoke.js';

export default {
  async fetch(request: Request): Promise<Response> {
    const config = (await request.json()) as SmokeConfig;
    return Response.json(await runSmoke(config));
  },
};
