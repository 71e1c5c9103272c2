/**
 * An HTTP relay between a Parley server and the test S3, so a test can take S3 away at an exact
 * point of a request's life (say, right after an upload was stored) without racing the server.
 * Requests are relayed unchanged, Host header included, so request signatures (which cover the
 * Host the client addressed, the relay's) stay valid upstream.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RelayedRequest {
  method: string;
  /** Path and query, e.g. `/bucket/files/abc`. */
  url: string;
}

export interface S3Relay {
  /** `http://127.0.0.1:PORT`: use it as S3_ENDPOINT. */
  readonly endpoint: string;
  /** While true, every request's connection is cut at once, as if S3 were unreachable. */
  cut: boolean;
  /**
   * Called with each upstream answer before the client sees it; the client waits for it, so
   * whatever it does (stop S3, cut the relay) happens before the server learns of the answer.
   */
  beforeAnswer: ((request: RelayedRequest, status: number) => Promise<void> | void) | undefined;
  close(): Promise<void>;
}

export async function startS3Relay(upstream: string): Promise<S3Relay> {
  const target = new URL(upstream);
  const relay: S3Relay = {
    endpoint: '',
    cut: false,
    beforeAnswer: undefined,
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    if (relay.cut) {
      req.socket.destroy();
      return;
    }
    const request = { method: req.method ?? 'GET', url: req.url ?? '/' };
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: req.headers,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', async () => {
          try {
            await relay.beforeAnswer?.(request, answer.statusCode ?? 0);
          } catch {
            // A failing hook must not leave the client hanging: it gets its answer regardless.
          }
          // The answer the hook saw is delivered even when the hook cut the relay: the cut is
          // for the requests after it.
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
        answer.on('error', () => req.socket.destroy());
      },
    );
    // S3 down behind the relay: the client sees its connection cut, as it would without one.
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(relay, {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  });
  return relay;
}
