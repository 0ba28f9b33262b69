/** @module When a module joins a chat turn (seed 003): its trigger terms and its execution stage. */

/** Whether a module runs after the reply (stages 4–5) rather than while the prompt is built. */
export const isAfterReply = (stage: string | null): boolean =>
  stage !== null && /^(post_response|after_reply|post)$/i.test(stage.trim());

/**
 * Whether a message meets a module's trigger: any of its terms (separated by `|` or `,`) found in the
 * message, ignoring case. Terms, not regular expressions: a caller's pattern never runs on the host,
 * where a pathological one could hold the server.
 */
export const triggerMatches = (pattern: string, message: string): boolean => {
  const text = message.toLowerCase();
  return pattern
    .split(/[|,]/)
    .map((term) => term.trim().toLowerCase())
    .some((term) => term !== '' && text.includes(term));
};
