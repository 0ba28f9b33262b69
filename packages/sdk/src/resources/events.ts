/** @module @cartrita/sdk/events: a session's events (seed 001): publish, list, get, and follow live. */

import { EventList, SessionEvent } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { offsetPages, type PagePromise, requestPage } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteQuery, RouteResult } from '../core/route-types.js';
import { EventStream, type EventStreamOptions } from '../realtime/event-stream.js';

/** `client.events.publish()` params: `event_type`, its `data`, and `metadata` of your own. */
export type EventPublishParams = RouteBody<'sessions.events.create'>;
/** `client.events.publish()` result: the stored event, with its `event_id` and `timestamp`. */
export type EventPublishResult = RouteResult<'sessions.events.create'>;
/** `client.events.list()` params: `limit` (1-1000, default 50), `offset`, `event_type`. */
export type EventListParams = RouteQuery<'sessions.events.list'>;
/** `client.events.list()` result: `{events, total}`, oldest first. */
export type EventListResult = RouteResult<'sessions.events.list'>;
/** `client.events.get()` result: one event. */
export type EventGetResult = RouteResult<'sessions.events.get'>;

/**
 * `/api/sessions/{session_id}/events`: what happened in a session. A published event is stored,
 * sent to every stream of the session and handed to the session's event handler of its type.
 *
 * @example
 * ```ts
 * const stream = client.events.stream(sessionId);
 * await stream.ready;
 * await client.events.publish(sessionId, { event_type: 'DummyEngineStatusUpdate', data: { status: 'processing' } });
 * for await (const event of stream) console.log(event.event_type, event.data); // DummyEngineStatusUpdate { status: 'processing' }
 * ```
 */
export class Events extends APIResource {
  /** `POST /api/sessions/{session_id}/events`: publishes an event in the session. */
  publish(
    sessionId: string,
    params: EventPublishParams,
    options?: RequestCallOptions,
  ): APIPromise<EventPublishResult> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/sessions/${sessionId}/events`,
      body: params,
      schema: SessionEvent,
      ...options,
    });
  }

  /** `GET /api/sessions/{session_id}/events`: a page of the session's events, oldest first. */
  list(
    sessionId: string,
    params: EventListParams = {},
    options?: RequestCallOptions,
  ): PagePromise<EventListResult, EventListResult['events'][number]> {
    return requestPage(
      this.transport,
      {
        method: 'GET',
        path: path`/api/sessions/${sessionId}/events`,
        query: { ...params },
        schema: EventList,
        ...options,
      },
      offsetPages('events', params.offset, (offset) => this.list(sessionId, { ...params, offset }, options)),
    );
  }

  /** `GET /api/sessions/{session_id}/events/{event_id}`: one event. */
  get(sessionId: string, eventId: string, options?: RequestCallOptions): APIPromise<EventGetResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/sessions/${sessionId}/events/${eventId}`,
      schema: SessionEvent,
      ...options,
    });
  }

  /**
   * `WS /api/sessions/{session_id}/events/stream`: the session's events as they are published, as an
   * {@link EventStream} (an async iterable of events, with a `ready` promise and `close()`), which
   * reconnects after a dropped connection and resumes after the last event it received. With
   * `lastEventId` it starts with the events published after that one.
   */
  stream(sessionId: string, options?: EventStreamOptions): EventStream {
    return new EventStream(this.transport, sessionId, options);
  }
}
