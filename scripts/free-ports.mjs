/**
 * Free TCP ports for the processes tests, the bench and the dev cluster start.
 *
 * Why not `listen(0)`: the kernel answers with an *ephemeral* port, the range it also hands to
 * outgoing connections. Between closing the probe and the real server binding the port (seconds
 * when PostgreSQL initialises first), any client on this machine (another test file's database
 * pool, a browser) may be given that port for its own end, and the server then fails with
 * EADDRINUSE. Ports below the ephemeral range are never handed out that way, so only another
 * picker could take them: each vitest worker (VITEST_POOL_ID) picks in its own slice, a process
 * never hands out the same port twice, and `avoid` names ports a parent has already promised.
 */
import net from 'node:net';

const LOWEST = 10_000;
const HIGHEST = 32_000; // below the usual ephemeral range (32768–60999) on Linux
const SLICES = 8;
const handedOut = new Set();

function sliceForThisProcess() {
  const pool = Number.parseInt(process.env.VITEST_POOL_ID ?? '', 10);
  if (!Number.isInteger(pool) || pool < 1) return { low: LOWEST, size: HIGHEST - LOWEST };
  const size = Math.floor((HIGHEST - LOWEST) / SLICES);
  return { low: LOWEST + ((pool - 1) % SLICES) * size, size };
}

function canListen(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * `count` distinct ports nothing listens on now.
 * @param {number} count
 * @param {{ avoid?: readonly number[] }} [options]
 * @returns {Promise<number[]>}
 */
export async function freePorts(count, { avoid = [] } = {}) {
  const { low, size } = sliceForThisProcess();
  const chosen = [];
  for (let attempt = 0; chosen.length < count; attempt++) {
    if (attempt > 500)
      throw new Error(`found only ${chosen.length} of ${count} free ports in ${low}–${low + size}`);
    const port = low + Math.floor(Math.random() * size);
    if (handedOut.has(port) || avoid.includes(port) || chosen.includes(port)) continue;
    if (!(await canListen(port))) continue;
    handedOut.add(port);
    chosen.push(port);
  }
  return chosen;
}

/** One free port (see `freePorts`). */
export async function freePort() {
  const [port] = await freePorts(1);
  return port;
}
