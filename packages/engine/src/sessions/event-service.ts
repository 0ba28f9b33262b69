/** @module A session's events: published (stored, fanned out, handled), listed, followed live. */
import type { EventCreateRequest, EventList, EventListQuery, SessionEvent } from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import { newId } from '../ids.js';
import { metrics, spanAttributes } from '../telemetry.js';
import type { SessionCaller } from './access.js';
import { type SessionAreaDeps, sessionTopic } from './deps.js';
import type { StoredEvent } from './repositories.js';
import type { SessionService } from './session-service.js';
import { maxHandlerDepth, sandboxTime, type UserCode } from './user-code.js';

/** What travels on a session's bus topic. */
export type BusNote = { kind: 'event'; event: StoredEvent } | { kind: 'deleted'; session_id: string };

/** The wire form of a stored event. */
export const toSessionEvent = (event: StoredEvent): SessionEvent => ({
  event_id: event.id,
  session_id: event.session_id,
  event_type: event.event_type,
  data: event.data,
  metadata: event.metadata,
  timestamp: event.timestamp,
});

/** Where a followed session's events go. */
export interface EventSink {
  /** An event, missed (replayed) or live. */
  event(event: SessionEvent): void;
  /** The missed events have been sent (`replayed` of them); live ones follow. */
  ready(replayed: number): void;
  /** The session was deleted: the stream ends. */
  deleted(): void;
}

/** What to follow. */
export interface FollowOptions {
  /** Resume after this event: the ones after it come first. */
  lastEventId?: string;
  /** Only events of this type. */
  eventType?: string;
}

const replayPage = 500;

/** Events of seed 001. */
export class EventService {
  readonly #deps: SessionAreaDeps;
  readonly #sessions: SessionService;
  readonly #code: () => UserCode;
  readonly #running = new Set<Promise<void>>();

  constructor(deps: SessionAreaDeps, sessions: SessionService, code: () => UserCode) {
    this.#deps = deps;
    this.#sessions = sessions;
    this.#code = code;
  }

  /** Publishes an event in an active session the caller reaches. */
  async publish(
    sessionId: string,
    caller: SessionCaller,
    request: EventCreateRequest,
  ): Promise<SessionEvent> {
    await this.#sessions.active(sessionId, caller);
    return this.emit(sessionId, request, 0);
  }

  /**
   * Stores an event, delivers it to every stream of the session (every instance, through the
   * bus), and starts the session's handler of its type unless `depth` reached the handler limit.
   */
  async emit(
    sessionId: string,
    request: Pick<EventCreateRequest, 'event_type' | 'data'> & Partial<Pick<EventCreateRequest, 'metadata'>>,
    depth: number,
  ): Promise<SessionEvent> {
    const { repositories, bus, clock, telemetry } = this.#deps;
    const stored = await repositories.events.append({
      id: newId('event', 8),
      session_id: sessionId,
      event_type: request.event_type,
      data: request.data,
      metadata: request.metadata ?? {},
      timestamp: clock.now().toISOString(),
    });
    const note: BusNote = { kind: 'event', event: stored };
    await bus.publish(sessionTopic(sessionId), note);
    telemetry.count(metrics.eventsPublishedTotal.name);
    this.#handle(stored, depth);
    return toSessionEvent(stored);
  }

  /** A page of a session's events, oldest first. */
  async list(sessionId: string, caller: SessionCaller, query: EventListQuery): Promise<EventList> {
    await this.#sessions.find(sessionId, caller);
    const { events, total } = await this.#deps.repositories.events.list(sessionId, {
      limit: query.limit,
      offset: query.offset,
      ...(query.event_type === undefined ? {} : { event_type: query.event_type }),
    });
    return { events: events.map(toSessionEvent), total };
  }

  /** One event; 404 `NOT_FOUND` when the session has none of that id. */
  async get(sessionId: string, caller: SessionCaller, eventId: string): Promise<SessionEvent> {
    await this.#sessions.find(sessionId, caller);
    const event = await this.#deps.repositories.events.get(sessionId, eventId);
    if (!event) throw HttpError.notFound('event', eventId);
    return toSessionEvent(event);
  }

  /**
   * Follows a session: with `lastEventId`, the events after it first (from storage), then
   * `ready`, then every new one as it is published on any instance, none missed or repeated in
   * between. Resolves a function that stops following. Rejects with 404 for a session the caller
   * does not reach or an unknown `lastEventId`.
   */
  async follow(
    sessionId: string,
    caller: SessionCaller,
    options: FollowOptions,
    sink: EventSink,
  ): Promise<() => void> {
    await this.#sessions.find(sessionId, caller);
    const { repositories, bus } = this.#deps;
    let after: number | undefined;
    if (options.lastEventId !== undefined) {
      const last = await repositories.events.get(sessionId, options.lastEventId);
      if (!last) throw HttpError.notFound('event', options.lastEventId);
      after = last.seq;
    }
    const wanted = (event: StoredEvent) =>
      options.eventType === undefined || event.event_type === options.eventType;
    // Live notes wait here while the missed events are read; those already replayed are skipped.
    let buffer: BusNote[] | undefined = [];
    const replayed = new Set<string>();
    let ended = false;
    const deliver = (note: BusNote) => {
      if (ended) return;
      if (note.kind === 'deleted') {
        ended = true;
        sink.deleted();
      } else if (!replayed.has(note.event.id) && wanted(note.event)) {
        sink.event(toSessionEvent(note.event));
      }
    };
    const unsubscribe = await bus.subscribe<BusNote>(sessionTopic(sessionId), ({ data }) => {
      if (buffer) buffer.push(data);
      else deliver(data);
    });
    try {
      let count = 0;
      while (after !== undefined && !ended) {
        const page = await repositories.events.after(sessionId, after, replayPage);
        for (const event of page) {
          replayed.add(event.id);
          if (wanted(event)) {
            sink.event(toSessionEvent(event));
            count += 1;
          }
        }
        after = page.length === replayPage ? page.at(-1)?.seq : undefined;
      }
      sink.ready(count);
      const pending = buffer;
      buffer = undefined;
      for (const note of pending) deliver(note);
      replayed.clear();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return () => {
      ended = true;
      unsubscribe();
    };
  }

  /** Resolves when the event handlers started so far have finished. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  #handle(event: StoredEvent, depth: number): void {
    const run = this.#runHandler(event, depth).catch((error: unknown) => {
      this.#deps.logger.error({ err: error, eventId: event.id }, 'An event handler could not be run');
    });
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  async #runHandler(event: StoredEvent, depth: number): Promise<void> {
    const { repositories, telemetry } = this.#deps;
    const handler = await repositories.handlers.get(event.session_id, 'event', event.event_type);
    if (!handler) return;
    if (depth >= maxHandlerDepth) {
      telemetry.log({
        level: 'warn',
        message: `Event ${event.id} (${event.event_type}) was not handled: handlers emitted events ${maxHandlerDepth} deep`,
        session_id: event.session_id,
      });
      return;
    }
    await telemetry.span(
      `handler ${event.event_type}`,
      {
        [spanAttributes.kind]: 'handler',
        [spanAttributes.sessionId]: event.session_id,
      },
      async (span) => {
        const result = await this.#code().run({
          code: handler.code,
          input: toSessionEvent(event),
          sessionId: event.session_id,
          depth,
        });
        span.setAttributes({
          ...sandboxTime(result),
          [spanAttributes.status]: result.ok ? 'completed' : 'failed',
        });
        if (!result.ok) {
          telemetry.log({
            level: 'error',
            message: `The handler of ${event.event_type} failed on event ${event.id}: ${result.error.message}`,
            session_id: event.session_id,
            metadata: { event_id: event.id, kind: result.error.kind },
          });
        }
      },
    );
  }
}
