// A small typed event bus: back-end services emit, transports (IPC, SSE) listen.
import type { AnyEvent, ApiEvents, EventName } from './events';

export type EventSink = (event: AnyEvent) => void;

export class EventHub {
  private readonly sinks = new Set<EventSink>();

  emit<E extends EventName>(name: E, payload: ApiEvents[E]): void {
    this.publish({ name, payload } as AnyEvent);
  }

  publish(event: AnyEvent): void {
    for (const sink of [...this.sinks]) {
      try {
        sink(event);
      } catch {
        // One broken listener (a closed window, a dropped connection) must not stop the rest.
      }
    }
  }

  listen(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => {
      this.sinks.delete(sink);
    };
  }

  get size(): number {
    return this.sinks.size;
  }
}
