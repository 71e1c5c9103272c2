/**
 * A push service on loopback for the Web Push tests, playing the browser's vendor: it holds
 * subscriptions made here (a P-256 key pair and an auth secret, as a browser makes them),
 * receives what Parley POSTs, checks the VAPID `Authorization` header (an ES256 JWT signed by
 * the key Parley publishes, for this origin, not expired) and decrypts the aes128gcm body with
 * the subscription's private key, as the browser would.
 */
import { createECDH, createPublicKey, type ECDH, randomBytes, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';

export interface FakeSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedPush {
  /** The path the push was sent to (names the subscription). */
  path: string;
  /** The decrypted payload, parsed as JSON. */
  payload: { title: string; body: string; url: string; tag: string };
  /** The VAPID JWT's claims and the key it was checked against. */
  jwt: { aud: string; exp: number; sub: string };
  vapidKey: string;
  headers: http.IncomingHttpHeaders;
}

interface Held {
  ecdh: ECDH;
  auth: Buffer;
}

const b64url = (buffer: Buffer) => buffer.toString('base64url');

export class FakePushService {
  private readonly held = new Map<string, Held>();
  /** What the service answers on a path; 201 when not set. */
  readonly statusFor = new Map<string, number>();
  readonly received: ReceivedPush[] = [];
  readonly failures: string[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<FakePushService> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const service = new FakePushService(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => void service.handle(req, res));
    return service;
  }

  /** A new subscription at `/push/<name>`, as `PushSubscription.toJSON()` gives it. */
  subscribe(name: string): FakeSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const path = `/push/${name}`;
    this.held.set(path, { ecdh, auth });
    return {
      endpoint: `${this.origin}${path}`,
      keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) },
    };
  }

  /** Waits until `count` pushes have arrived in all (or throws after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedPush[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const got = this.received.map((push) => push.payload.body);
        throw new Error(`expected ${count} pushes, got ${JSON.stringify(got)}; failures: ${this.failures}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(0, count);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '';
    const status = this.statusFor.get(path) ?? 201;
    try {
      const held = this.held.get(path);
      if (!held) throw new Error(`no subscription at ${path}`);
      if (req.method !== 'POST') throw new Error(`method ${req.method}`);
      if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
      const { jwt, vapidKey } = this.checkVapid(req.headers.authorization ?? '');
      const plain = ece.decrypt(Buffer.concat(chunks), {
        version: 'aes128gcm',
        privateKey: held.ecdh,
        authSecret: b64url(held.auth),
      });
      this.received.push({
        path,
        payload: JSON.parse(plain.toString('utf8')),
        jwt,
        vapidKey,
        headers: req.headers,
      });
    } catch (error) {
      this.failures.push(String(error));
    }
    res.writeHead(status).end();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** `vapid t=<JWT>, k=<public key>`: the JWT must be ES256 under k, for this origin, unexpired. */
  private checkVapid(header: string): { jwt: ReceivedPush['jwt']; vapidKey: string } {
    const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header);
    if (!match) throw new Error(`not a VAPID Authorization header: ${header}`);
    const [token, key] = [match[1] as string, match[2] as string];
    const [head, claims, signature] = token.split('.') as [string, string, string];
    const point = Buffer.from(key, 'base64url');
    const publicKey = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) },
      format: 'jwk',
    });
    const signed = verify(
      'sha256',
      Buffer.from(`${head}.${claims}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    if (!signed) throw new Error('the VAPID JWT signature does not verify');
    if (JSON.parse(Buffer.from(head, 'base64url').toString()).alg !== 'ES256') throw new Error('alg');
    const jwt = JSON.parse(Buffer.from(claims, 'base64url').toString()) as ReceivedPush['jwt'];
    if (jwt.aud !== this.origin) throw new Error(`aud ${jwt.aud}`);
    if (jwt.exp * 1000 < Date.now()) throw new Error('expired');
    return { jwt, vapidKey: key };
  }
}
