/**
 * `npx tsx src/cpu-profile-summary.ts <file.cpuprofile> <requests>`: where the server's time
 * went, from a profile taken with BENCH_PARLEY_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" (see
 * ingest-autocannon.ts). Prints the busy (not idle) time per request by category, then the
 * functions with the most self time.
 *
 * A sample counts toward the first frame, from the one running upwards, that a category claims:
 * so the Node HTTP work `res.json()` asks for is Express's, and a statement run inside a COMMIT
 * (the fsync of `synchronous = FULL`) is the commit's. Stacks restart after every `await`, so a
 * category holds what ran synchronously under it, not everything it awaited.
 */
import fs from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const CATEGORIES: [string, (frame: CallFrame) => boolean][] = [
  ['ids (uuid + random bytes)', (f) => /uuid|\/core\/ids\.js/.test(f.url) && f.functionName !== 'hashSecret'],
  [
    'session lookup',
    (f) =>
      /authenticate|accounts-service|credentials|expiring-cache/.test(f.url) ||
      f.functionName === 'hashSecret',
  ],
  ['request hash', (f) => /request-hash/.test(f.url)],
  ['ETag', (f) => /\/etag\//.test(f.url)],
  ['SQLite statements', (f) => f.functionName === 'executeQuery' && /sqlite-driver/.test(f.url)],
  ['helmet', (f) => /helmet|security-headers/.test(f.url)],
  [
    'body parsing',
    (f) => /body-parser|raw-body|type-is|iconv|content-type|media-typer|\/bytes\//.test(f.url),
  ],
  ['zod / validate', (f) => /\/zod\/|validate\.js/.test(f.url)],
  [
    'Kysely (driver, transactions)',
    (f) => /kysely|compiled-statements|multi-row|transactional-sqlite/.test(f.url),
  ],
  ['job worker + room log', (f) => /core\/(jobs\/job-|rooms|messages)|repositories/.test(f.url)],
  [
    'accepting (jobs service, group commit)',
    (f) => /jobs-service|group-commit|sql-database|wake-workers/.test(f.url),
  ],
  ['fan-out / hub', (f) => /fanout|delivery/.test(f.url)],
  // The lean `POST /jobs` edge, and the Node HTTP work it asks for (as Express's is Express's).
  [
    'lean POST /jobs edge',
    (f) =>
      /lean-job-route|plain-json-body|job-submission|request-listener|request-gate|error-response/.test(
        f.url,
      ),
  ],
  ['metrics / logging', (f) => /prom-client|pino|metrics/.test(f.url)],
  [
    'Express + router',
    (f) =>
      /express|router|path-to-regexp|parseurl|finalhandler|on-finished|http-app|job-routes|request-context|cors/.test(
        f.url,
      ),
  ],
];

function main(): void {
  const [file, requestsArg] = process.argv.slice(2);
  if (!file || !requestsArg) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> <requests>');
  const requests = Number(requestsArg);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });

  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfTime) {
    const leaf = byId.get(id)!.callFrame;
    if (leaf.functionName === '(idle)') continue;
    busy += micros;
    const where = `${leaf.functionName || '(anonymous)'} ${leaf.url.replace(/.*node_modules\//, '')}:${leaf.lineNumber}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + micros);
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      stack.push(byId.get(at)!.callFrame);
    let category: string | undefined;
    if (leaf.functionName === '(garbage collector)') category = 'garbage collection';
    else if (stack.some((frame) => frame.functionName === 'commitTransaction')) category = 'commits (fsync)';
    else {
      for (const frame of stack) {
        category = CATEGORIES.find(([, claims]) => claims(frame))?.[0];
        if (category) break;
      }
    }
    category ??= /^node:|^$/.test(leaf.url) ? 'Node HTTP, sockets, streams, other' : 'other';
    byCategory.set(category, (byCategory.get(category) ?? 0) + micros);
  }

  const perRequest = (micros: number) => (micros / requests).toFixed(0);
  console.log(`busy ${perRequest(busy)} µs per request over ${requests} requests\n`);
  console.log('| category | µs per request | share |\n| --- | --- | --- |');
  for (const [name, micros] of [...byCategory].sort((a, b) => b[1] - a[1])) {
    console.log(`| ${name} | ${perRequest(micros)} | ${Math.round((micros / busy) * 100)} % |`);
  }
  console.log('\nself time, top 30 functions (µs per request):');
  for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${(micros / requests).toFixed(1).padStart(7)}  ${name}`);
  }
}

main();
