/** Types for `proxy-addr` (Express's own dependency; it ships no types of its own). */
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';

  /** Whether the hop at `i` (0 = the socket's peer) with this address is a trusted proxy. */
  type TrustFunction = (address: string, i: number) => boolean;

  /** The client's address: the furthest hop of X-Forwarded-For reached through trusted proxies. */
  function proxyAddr(req: IncomingMessage, trust: TrustFunction): string;

  namespace proxyAddr {
    /** Compiles addresses, CIDRs and the names loopback, linklocal, uniquelocal; throws TypeError on a bad one. */
    function compile(value: string | readonly string[]): TrustFunction;
    function all(req: IncomingMessage, trust?: TrustFunction): string[];
  }

  export default proxyAddr;
}
