/**
 * The program of a peer process (see child-process-peer.ts): opens the store it is told to, runs
 * the operations it is sent, and answers each request over the IPC channel.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../../src/core/ports/database.js';
import { openStore } from '../store-location.js';
import type { PeerReply, PeerRequest } from './peer-messages.js';
import { type OperationName, peerOperations } from './peer-operations.js';

let db: Database | undefined;

const reply = (message: PeerReply) => process.send?.(message);

async function handle(request: PeerRequest): Promise<unknown> {
  switch (request.kind) {
    case 'open':
      await db?.close();
      db = undefined;
      db = await openStore(request.location);
      return undefined;
    case 'run': {
      if (!db) throw new Error('the peer has no open store');
      await sleep(Math.max(0, request.startAt - Date.now()));
      const operation = peerOperations[request.name as OperationName] as (
        db: Database,
        ...args: unknown[]
      ) => Promise<unknown>;
      return operation(db, ...request.args);
    }
    case 'stop':
      await db?.close();
      db = undefined;
      process.disconnect();
      return undefined;
  }
}

process.on('message', (request: PeerRequest) => {
  handle(request).then(
    (result) => {
      if (request.kind !== 'stop') reply({ kind: 'done', id: request.id, result });
    },
    (error: unknown) => {
      const { message, code } = error as { message?: unknown; code?: unknown };
      reply({
        kind: 'failed',
        id: request.id,
        message: String(message ?? error),
        code: typeof code === 'string' ? code : undefined,
      });
    },
  );
});
// The test ended (or died) without stopping this peer: end with it.
process.on('disconnect', () => {
  void db?.close().finally(() => process.exit(0));
  if (!db) process.exit(0);
});
reply({ kind: 'ready' });
