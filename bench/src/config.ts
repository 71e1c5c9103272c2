/** Workload sizes: the full run, and a smoke run of a few seconds that keeps the harness honest in CI. */
import type { GrowthConfig } from './phases/growth.js';

export interface BenchConfig {
  smoke: boolean;
  fanOut: {
    members: number;
    workers: number;
    rates: { perSecond: number; durationMs: number }[];
    /** Rounds of Parley, raw ws, socket.io, interleaved (median and spread over them). */
    repeats: number;
    /** Raw ws offered this (past its saturation) first; half of what it delivers is "below saturation". */
    calibration: { perSecond: number; durationMs: number };
    belowSaturationMs: number;
  };
  connections: { counts: number[]; baselineCount: number; workers: number; sourceAddresses: string[] };
  ingest: { concurrency: number[]; stepMs: number };
  history: { events: number; requests: number };
  catchUp: { behind: number; repeats: number };
  /** `--only=search`: messages seeded over `rooms` rooms, and timed runs of each query. */
  search: { messages: number; rooms: number; runs: number };
  /** `--only=growth`: how cost grows with log size, room size and rooms per user (phases/growth.ts). */
  growth: GrowthConfig;
  /**
   * Cluster mode (`--only=cluster`): start-cluster's topology, idle sockets spread over its
   * instances, and fan-out over them against one process, repeated.
   */
  cluster: {
    instances: number;
    sockets: number;
    /** Client processes for the sockets: each holds at most 20,000 files (hard limit here). */
    socketWorkers: number;
    /** One per client process: ~28,000 ephemeral ports per source address. */
    sourceAddresses: string[];
    /** Handshakes in flight per client process. */
    concurrency: number;
    fanOutMembers: number;
    repeats: number;
  };
  /** Pause after connecting, before measuring (presence announcements, allocation settling). */
  settleMs: number;
  /** Sockets the server allows per user (backend/src/app/parley.ts: maxSocketsPerUser). */
  socketsPerUser: number;
}

export function benchConfig(smoke: boolean): BenchConfig {
  if (smoke) {
    return {
      smoke,
      fanOut: {
        members: 20,
        workers: 2,
        rates: [{ perSecond: 50, durationMs: 1_000 }],
        repeats: 1,
        calibration: { perSecond: 100, durationMs: 500 },
        belowSaturationMs: 500,
      },
      connections: {
        counts: [200],
        baselineCount: 200,
        workers: 2,
        sourceAddresses: ['127.0.0.2', '127.0.0.3'],
      },
      ingest: { concurrency: [1, 4], stepMs: 800 },
      history: { events: 2_000, requests: 50 },
      catchUp: { behind: 500, repeats: 1 },
      search: { messages: 5_000, rooms: 10, runs: 20 },
      growth: {
        history: {
          sizes: [1_000, 5_000],
          requests: 20,
          catchUpBehind: 200,
          catchUpRepeats: 1,
          startupRepeats: 1,
        },
        members: {
          sizes: [5, 20],
          deliveriesPerSecond: 200,
          maxMessagesPerSecond: 20,
          runMs: 600,
          repeats: 1,
          workers: 2,
        },
        rooms: { roomCounts: [1, 20], usersPerGroup: 3, socketsPerUser: 2 },
        typing: {
          members: 20,
          typists: 2,
          keystrokesPerSecond: 10,
          reactionsPerSecond: 10,
          durationMs: 1_000,
          workers: 2,
        },
      },
      cluster: {
        instances: 3,
        sockets: 300,
        socketWorkers: 2,
        sourceAddresses: ['127.0.0.2', '127.0.0.3'],
        concurrency: 32,
        fanOutMembers: 50,
        repeats: 1,
      },
      settleMs: 200,
      socketsPerUser: 20,
    };
  }
  return {
    smoke,
    fanOut: {
      members: 1_000,
      workers: 4,
      rates: [
        { perSecond: 100, durationMs: 5_000 },
        { perSecond: 1_000, durationMs: 3_000 },
      ],
      repeats: 3,
      calibration: { perSecond: 1_000, durationMs: 2_000 },
      belowSaturationMs: 5_000,
    },
    connections: {
      counts: [10_000, 20_000],
      baselineCount: 10_000,
      workers: 4,
      sourceAddresses: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'],
    },
    ingest: { concurrency: [1, 4, 16, 64], stepMs: 3_000 },
    history: { events: 1_000_000, requests: 500 },
    catchUp: { behind: 10_000, repeats: 5 },
    search: { messages: 1_000_000, rooms: 20, runs: 200 },
    growth: {
      history: {
        sizes: [10_000, 100_000, 1_000_000, 10_000_000],
        requests: 300,
        catchUpBehind: 5_000,
        catchUpRepeats: 3,
        startupRepeats: 3,
      },
      // ~10,000 deliveries/s at every size (at most 200 messages/s), 3 runs of 5 s each. The
      // 10,000 members take ~6 minutes to connect: ~50M presence frames (each member's `online`
      // to every other; docs/performance.md, "How cost grows").
      members: {
        sizes: [10, 100, 1_000, 10_000],
        deliveriesPerSecond: 10_000,
        maxMessagesPerSecond: 200,
        runMs: 5_000,
        repeats: 3,
        workers: 4,
      },
      rooms: { roomCounts: [1, 100, 1_000], usersPerGroup: 50, socketsPerUser: 10 },
      typing: {
        members: 1_000,
        typists: 5,
        keystrokesPerSecond: 10,
        reactionsPerSecond: 20,
        durationMs: 5_000,
        workers: 2,
      },
    },
    cluster: {
      instances: 3,
      // The target; 4 processes × 12,500 sockets, each process on its own address.
      sockets: 50_000,
      socketWorkers: 4,
      sourceAddresses: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'],
      concurrency: 64,
      fanOutMembers: 1_000,
      repeats: 3,
    },
    settleMs: 3_000,
    socketsPerUser: 20,
  };
}
