/**
 * Which proxies are believed about the client (TRUST_PROXY), compiled once and used by both
 * edges: Express's `trust proxy` (so `req.ip`, `req.secure`) and the WebSocket upgrade, which
 * never passes through Express. X-Forwarded-For and X-Forwarded-Proto count only when they come
 * from a trusted hop; from anyone else they are ignored.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * Express's `trust proxy` values: `false` trusts nobody, `true` every hop, a number that many
 * hops, a list the proxies at those addresses, CIDRs or names (`loopback`, `linklocal`,
 * `uniquelocal`).
 */
export type TrustProxySetting = boolean | number | readonly string[];

export type TrustFunction = (address: string, hop: number) => boolean;

/** The same compilation as Express's own `compileTrust`. Throws a TypeError on a bad address. */
export function compileTrust(setting: TrustProxySetting): TrustFunction {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting);
}

export class ProxyTrust {
  /** Handed to Express as `trust proxy`, so both edges decide alike. */
  readonly trust: TrustFunction;

  constructor(setting: TrustProxySetting) {
    this.trust = compileTrust(setting);
  }

  /** The client's address (Express's `req.ip`). */
  clientAddress(req: IncomingMessage): string {
    return proxyAddr(req, this.trust);
  }

  /**
   * Whether the client's connection is encrypted (Express's `req.secure`): TLS on this socket,
   * or a trusted proxy's `X-Forwarded-Proto` (its first value) says `https`.
   */
  isSecure(req: IncomingMessage): boolean {
    const own = (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
    if (!this.trust(req.socket.remoteAddress ?? '', 0)) return own === 'https';
    const header = req.headers['x-forwarded-proto'];
    const forwarded = (Array.isArray(header) ? header[0] : header) || own;
    return forwarded.split(',')[0]?.trim() === 'https';
  }
}
