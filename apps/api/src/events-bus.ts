import { EventEmitter } from 'node:events';
import type { StreamMessage } from '@aviary/contracts';

/** Fan-out of stored changes to live streams; a slow client never blocks a write. */
export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(message: StreamMessage): void {
    this.emitter.emit('message', message);
  }

  subscribe(listener: (message: StreamMessage) => void): () => void {
    this.emitter.on('message', listener);
    return () => this.emitter.off('message', listener);
  }

  get subscribers(): number {
    return this.emitter.listenerCount('message');
  }
}
