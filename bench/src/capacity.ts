/**
 * Capacity on paper (docs/capacity.md): from per-unit costs measured by this bench, how many
 * instances, and how much Redis and PostgreSQL, a number of concurrent users needs at a stated
 * message rate and room size; and which part runs out first.
 *
 *   npx tsx bench/src/capacity.ts                       # the scenarios of docs/capacity.md
 *   npx tsx bench/src/capacity.ts --users=250000 --messages-per-user-hour=30 --online-per-room=80
 *
 * Every figure is a plain number below, with where it was measured; change them when a new run
 * says otherwise. The model is deliberately simple (costs add up linearly, a core is a core):
 * it says where to look first, not what to buy.
 */
import { pathToFileURL } from 'node:url';

/** What one unit of work cost on the bench machine (2 vCPU AMD EPYC, Node 20), µs of CPU. */
export const MEASURED = {
  /**
   * Server CPU per delivery when a room's events do NOT share writes (a quiet room: about one
   * event per write per socket). Fan-out rounds below saturation, Parley's median: 12.5 µs
   * (loaded machine, 2026-12-03T13:38Z) and 14.3 µs (less loaded, 14:11Z); raw ws 11–12 µs.
   */
  cpuPerDeliveryUnbatchedUs: 14.3,
  /**
   * The same in a busy room (events share writes): Parley at 1,000 × 100 msg/s, median 1.2 µs
   * on the loaded machine (long runs per write) and 3.0 µs on the less loaded one; the latter.
   */
  cpuPerDeliveryBusyUs: 3.0,
  /** Server CPU per accepted durable message (POST /jobs, group commit; performance.md "Keyed sends"). */
  cpuPerAcceptedMessageUs: 430,
  /** Extra instance CPU per delivery when scaled out (cluster run: 15–19 vs 12–14 µs one process). */
  clusterOverheadFactor: 1.4,
  /** Redis + PostgreSQL CPU per delivery in the cluster run (1,000 members): per message ×1,000. */
  servicesCpuPerMessageUs: 5_000,
  /** RSS per idle authenticated socket, KiB (10,000–20,000 sockets, and 16,667 per cluster instance). */
  rssPerSocketKiB: 7.5,
  /** Instance RSS before any socket, MiB. */
  instanceBaseRssMiB: 130,
  /** Redis memory per connected socket's place in the registry, bytes (cluster run: +7.4 MiB / 50,000). */
  redisBytesPerSocket: 155,
};

/** Planning rules: what share of a resource may be used in steady state. */
export const RULES = {
  /** A Node instance is one thread: plan it at 60 % of a core, leaving room for bursts and GC. */
  instanceCpuBudget: 0.6,
  /** Sockets per instance, from files (a raised limit of 100,000) and memory. */
  maxSocketsPerInstance: 50_000,
  /** Redis (one thread) at 60 % of a core; a PUBLISH received by N subscribers costs ~N deliveries. */
  redisCpuBudget: 0.6,
  /** Redis cost per message delivered to one subscriber, µs (a small PUBLISH fan-out, typical). */
  redisUsPerSubscriberDelivery: 2,
  /** A PostgreSQL primary's commits/s with group commit on an NVMe disk (a planning figure, not measured here). */
  postgresCommitsPerSecond: 10_000,
  /** Instance CPU to receive and parse one fan-out envelope from Redis, µs (not measured; JSON of ~600 bytes). */
  envelopeParseUs: 15,
};

export interface Scenario {
  users: number;
  /** Sockets per concurrent user (a browser tab and a phone). */
  socketsPerUser: number;
  /** Messages each concurrent user sends per hour. */
  messagesPerUserHour: number;
  /** Members of a room online when a message is sent (who gets a delivery). */
  onlinePerRoom: number;
  /** Fan-out messages per chat message besides the event (job frames to the author, receipts, typing). */
  otherFanOutPerMessage: number;
  /** Share of deliveries in busy rooms, where events share writes. */
  busyShare: number;
}

/** How instances hear fan-out messages: all on one Redis channel (today), or per room (the change). */
export type Channels = 'one channel' | 'per room';

export interface Estimate {
  channels: Channels;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  sockets: number;
  instances: number | 'none fits';
  /** Why that many: the binding constraint. */
  instancesBoundBy: string;
  instanceCores: { delivery: number; ingest: number; envelopes: number; total: number };
  memoryPerInstanceMiB: number;
  redis: {
    publishesPerSecond: number;
    subscriberDeliveriesPerSecond: number;
    cores: number;
    memoryMiB: number;
  };
  postgres: { commitsPerSecond: number; shareOfOneWriter: number; servicesCoresAsMeasured: number };
  /** Each limit's use of its budget, highest first. */
  limits: { what: string; useOfBudget: number }[];
}

export function estimate(s: Scenario, channels: Channels, m = MEASURED, r = RULES): Estimate {
  const messagesPerSecond = (s.users * s.messagesPerUserHour) / 3600;
  const roomSockets = s.onlinePerRoom * s.socketsPerUser;
  const deliveriesPerSecond = messagesPerSecond * roomSockets;
  const sockets = s.users * s.socketsPerUser;
  const cpuPerDeliveryUs =
    (s.busyShare * m.cpuPerDeliveryBusyUs + (1 - s.busyShare) * m.cpuPerDeliveryUnbatchedUs) *
    m.clusterOverheadFactor;
  const delivery = (deliveriesPerSecond * cpuPerDeliveryUs) / 1e6;
  const ingest = (messagesPerSecond * m.cpuPerAcceptedMessageUs) / 1e6;
  const fanOutMessagesPerSecond = messagesPerSecond * (1 + s.otherFanOutPerMessage);
  // The share of fan-out messages one of n instances hears: all of them on one channel; per
  // room, those of rooms where it holds a socket (sockets placed at random, no room affinity).
  const heardShare = (n: number) => (channels === 'one channel' ? 1 : 1 - (1 - 1 / n) ** roomSockets);
  const envelopeCores = (n: number) => (fanOutMessagesPerSecond * heardShare(n) * r.envelopeParseUs) / 1e6;
  const bySockets = Math.ceil(sockets / r.maxSocketsPerInstance);
  let instances = 0;
  for (let n = Math.max(2, bySockets); n <= 10_000; n++) {
    if ((delivery + ingest) / n + envelopeCores(n) <= r.instanceCpuBudget) {
      instances = n;
      break;
    }
  }
  const n = instances || 10_000;
  const envelopes = envelopeCores(n) * n;
  const subscriberDeliveriesPerSecond = fanOutMessagesPerSecond * heardShare(n) * n;
  const redisCores = (subscriberDeliveriesPerSecond * r.redisUsPerSubscriberDelivery) / 1e6;
  // Per message: its job insert (shared by group commit) and the batch that writes it: at worst
  // one commit per message, fewer with batching.
  const commitsPerSecond = messagesPerSecond;
  const limits = [
    { what: 'one Redis (single thread)', useOfBudget: redisCores / r.redisCpuBudget },
    { what: 'one PostgreSQL writer (commits/s)', useOfBudget: commitsPerSecond / r.postgresCommitsPerSecond },
    { what: 'envelopes each instance parses', useOfBudget: envelopeCores(n) / r.instanceCpuBudget },
  ]
    .map((l) => ({ ...l, useOfBudget: round(l.useOfBudget) }))
    .sort((a, b) => b.useOfBudget - a.useOfBudget);
  return {
    channels,
    messagesPerSecond: Math.round(messagesPerSecond),
    deliveriesPerSecond: Math.round(deliveriesPerSecond),
    sockets,
    instances: instances || 'none fits',
    instancesBoundBy: !instances
      ? 'every instance parses every envelope: more instances do not help'
      : instances === Math.max(2, bySockets)
        ? `sockets (${r.maxSocketsPerInstance.toLocaleString('en-US')} per instance)`
        : `CPU (${r.instanceCpuBudget * 100} % of a core per instance)`,
    instanceCores: {
      delivery: round(delivery),
      ingest: round(ingest),
      envelopes: round(envelopes),
      total: round(delivery + ingest + envelopes),
    },
    memoryPerInstanceMiB: Math.round(m.instanceBaseRssMiB + ((sockets / n) * m.rssPerSocketKiB) / 1024),
    redis: {
      publishesPerSecond: Math.round(fanOutMessagesPerSecond),
      subscriberDeliveriesPerSecond: Math.round(subscriberDeliveriesPerSecond),
      cores: round(redisCores),
      memoryMiB: Math.round((sockets * m.redisBytesPerSocket) / 2 ** 20),
    },
    postgres: {
      commitsPerSecond: Math.round(commitsPerSecond),
      shareOfOneWriter: round(commitsPerSecond / r.postgresCommitsPerSecond),
      servicesCoresAsMeasured: round((messagesPerSecond * m.servicesCpuPerMessageUs) / 1e6),
    },
    limits,
  };
}

const round = (v: number) => Math.round(v * 100) / 100;

/** The scenarios of docs/capacity.md. */
export const SCENARIOS: Record<string, Scenario> = {
  '100k users, 20 msg/user/h, 50 online per room': {
    users: 100_000,
    socketsPerUser: 1.5,
    messagesPerUserHour: 20,
    onlinePerRoom: 50,
    otherFanOutPerMessage: 3,
    busyShare: 0.2,
  },
  '1M users, 20 msg/user/h, 50 online per room': {
    users: 1_000_000,
    socketsPerUser: 1.5,
    messagesPerUserHour: 20,
    onlinePerRoom: 50,
    otherFanOutPerMessage: 3,
    busyShare: 0.2,
  },
  '1M users, 60 msg/user/h, 200 online per room': {
    users: 1_000_000,
    socketsPerUser: 1.5,
    messagesPerUserHour: 60,
    onlinePerRoom: 200,
    otherFanOutPerMessage: 3,
    busyShare: 0.5,
  },
};

function main(): void {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const custom = arg('users');
  const scenarios: Record<string, Scenario> = custom
    ? {
        custom: {
          users: Number(custom),
          socketsPerUser: Number(arg('sockets-per-user') ?? 1.5),
          messagesPerUserHour: Number(arg('messages-per-user-hour') ?? 20),
          onlinePerRoom: Number(arg('online-per-room') ?? 50),
          otherFanOutPerMessage: Number(arg('other-fan-out-per-message') ?? 3),
          busyShare: Number(arg('busy-share') ?? 0.2),
        },
      }
    : SCENARIOS;
  for (const [name, scenario] of Object.entries(scenarios)) {
    console.log(`\n## ${name}`);
    for (const channels of ['one channel', 'per room'] as const)
      console.log(JSON.stringify(estimate(scenario, channels), null, 2));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
