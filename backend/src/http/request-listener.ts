/** The HTTP listener's request handler: the lean `POST /jobs` edge first, then the Express app. */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createHttpApp, type HttpAppOptions } from './http-app.js';
import { leanJobRoute } from './lean-job-route.js';

export function createRequestListener(options: HttpAppOptions): RequestListener {
  const app = createHttpApp(options);
  const lean = leanJobRoute(options);
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!lean(req, res)) app(req, res);
  };
}
