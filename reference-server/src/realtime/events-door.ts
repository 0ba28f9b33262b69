/**
 * @module `WS /api/sessions/{session_id}/events/stream` (seed 001): a session's events, live, with
 * the ones missed first when the client names the last it saw.
 */
import {
  EventStreamClientMessage,
  EventStreamQuery,
  type EventStreamServerMessage,
  eventStreamCloseCodes,
} from '@cartrita/contracts';
import { fieldIssuesFromZod, HttpError, sessionCallerOf } from '@cartrita/engine';
import type { AppContext } from '../app-context.js';
import type { SocketDoor } from './socket-door.js';

const sizeOf = (message: unknown) => JSON.stringify(message).length;

/** The event stream door over the app's engine. */
export const eventsDoor = (context: Pick<AppContext, 'engine' | 'logger'>): SocketDoor => ({
  name: 'events',
  routeId: 'sessions.events.stream',
  async admit({ auth, params, query }) {
    const parsed = EventStreamQuery.safeParse(Object.fromEntries(query));
    if (!parsed.success) throw HttpError.validation(fieldIssuesFromZod(parsed.error, 'query'));
    const sessionId = params.session_id as string;
    const caller = sessionCallerOf(auth);
    const { engine } = context;
    await engine.sessions.find(sessionId, caller);
    const lastEventId = parsed.data.last_event_id;
    if (lastEventId !== undefined) await engine.events.get(sessionId, caller, lastEventId);
    return {
      fields: { sessionId },
      outbound: { sizeOf, coalesce: () => undefined },
      open(socket) {
        const send = (message: EventStreamServerMessage) => socket.send(message);
        let stop: (() => void) | undefined;
        let closed = false;
        return {
          start() {
            engine.events
              .follow(
                sessionId,
                caller,
                {
                  ...(lastEventId === undefined ? {} : { lastEventId }),
                  ...(parsed.data.event_type === undefined ? {} : { eventType: parsed.data.event_type }),
                },
                {
                  event: (event) => send({ type: 'event', ...event }),
                  ready: (replayed) => send({ type: 'ready', session_id: sessionId, replayed }),
                  deleted: () => socket.close(eventStreamCloseCodes.sessionDeleted, 'Session deleted'),
                },
              )
              .then(
                (unsubscribe) => {
                  if (closed) unsubscribe();
                  else stop = unsubscribe;
                },
                (error: unknown) => {
                  context.logger.warn(
                    { err: error, sessionId },
                    'An event stream could not follow its session',
                  );
                  socket.close(eventStreamCloseCodes.sessionDeleted, 'Session not found');
                },
              );
          },
          receive(text) {
            let message: unknown;
            try {
              message = JSON.parse(text);
            } catch {
              message = undefined;
            }
            if (EventStreamClientMessage.safeParse(message).success) {
              send({ type: 'pong' });
              return;
            }
            send({
              type: 'error',
              error: {
                code: 'VALIDATION_ERROR',
                message: 'Expected {"type": "ping"}: the stream takes nothing else',
              },
            });
          },
          receiveBinary() {
            send({
              type: 'error',
              error: { code: 'VALIDATION_ERROR', message: 'Binary messages are not accepted' },
            });
          },
          close() {
            closed = true;
            stop?.();
          },
        };
      },
    };
  },
});
