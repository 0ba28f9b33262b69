/** @module Where seed 004's live updates travel on the event bus: topics per user, so none cross users. */

const part = (value: string) => encodeURIComponent(value);

/** The topic of one session's turn updates (chat, stages, use, plan), for its user. */
export const studioSessionTopic = (userId: string, sessionId: string): string =>
  `studio:${part(userId)}:${part(sessionId)}`;
