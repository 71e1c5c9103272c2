/** Prometheus metrics: process defaults plus what tells an operator how chat is flowing. */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests answered, by method and status class.',
    labelNames: ['method', 'status'] as const,
    registers: [this.registry],
  });
  readonly roomEvents = new Counter({
    name: 'parley_room_events_total',
    help: 'Room events committed and fanned out by this process.',
    registers: [this.registry],
  });
  readonly socketsClosedSlow = new Counter({
    name: 'parley_ws_slow_consumers_total',
    help: 'Sockets closed because they did not read fast enough.',
    registers: [this.registry],
  });

  constructor(connectedSockets: () => number) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'parley_ws_connections',
      help: 'Open WebSocket connections on this process.',
      registers: [this.registry],
      collect() {
        this.set(connectedSockets());
      },
    });
  }
}
