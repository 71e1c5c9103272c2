/**
 * `npm run test:cluster -w backend`: the cross-instance tests (test/cluster) and the integration
 * suite's files that make sense there, every `startServer` of them served by a whole cluster
 * (PARLEY_TEST_TARGET=cluster: nginx in front of three instances on PostgreSQL, Redis and S3;
 * see test/support/cluster.ts). Two files at a time: each starts seven processes, but a file
 * spends most of its time waiting on them (its clusters starting, sockets, retries), so on two
 * cores two files at once take about two thirds of the time one after the other take (seen:
 * 214 s against 330 s on a shared, loaded machine; every file on ports and a DATA_DIR of its own).
 *
 * Left out, and why:
 * - durability, crash-repeated: they kill and restart "the server"; the cluster's own crash
 *   tests (test/cluster/instance-crash) do that per instance.
 * - slow-consumer: measures one server process's memory (/proc/<pid>) and relies on a socket's
 *   buffer filling; nginx's buffers sit in between.
 * - poison-job: counts crashes of "the server" and restarts it after each one.
 * Downloads stream through the instances there (S3_DOWNLOADS=proxy, set by startServer), so the
 * suite's header checks hold; the 302 to a presigned URL is tested in test/blobs.
 */
import { defineConfig } from 'vitest/config';

export const INTEGRATION_FILES_ON_CLUSTER = [
  'accounts',
  'authorization',
  'jobs',
  'limits',
  'membership',
  'receipts',
  'rooms-and-history',
  'websocket',
];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: [
      'test/cluster/**/*.test.ts',
      ...INTEGRATION_FILES_ON_CLUSTER.map((name) => `test/integration/${name}.test.ts`),
    ],
    env: { PARLEY_TEST_TARGET: 'cluster' },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
