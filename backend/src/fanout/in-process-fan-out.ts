/** Fan-out within one process: listeners are called synchronously, in publish order. */
import type { FanOut, FanOutMessage } from '../core/ports/fan-out.js';

export class InProcessFanOut implements FanOut {
  private readonly listeners = new Set<(message: FanOutMessage) => void>();

  publish(message: FanOutMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  subscribe(listener: (message: FanOutMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
