import * as z from 'zod/mini';

// `/*#__PURE__*/` before each `.check()` chain: bundlers cannot tell that a method call has no side
// effects, and would keep every such schema in a bundle that never uses it.

/**
 * The body of `POST /api/chatkit/session`. Every field is optional; browsers send nothing.
 * `user` is honoured only when the caller authenticates with an API key (a site's backend minting
 * secrets for its own signed-in users); anonymous callers always get a fresh anonymous user.
 */
export const SessionCreateParams = z.object({
  user: z.optional(/*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200))),
  ttl_seconds: z.optional(/*#__PURE__*/ z.int().check(z.gte(60), z.lte(86_400))),
});
export type SessionCreateParams = z.infer<typeof SessionCreateParams>;

/** A short-lived, signed client secret that authorises `/chatkit` for one session and its user. */
export const ChatKitSession = z.object({
  client_secret: z.string(),
  session_id: z.string(),
  expires_at: z.string(),
  user_id: z.optional(z.string()),
  capabilities: z.optional(
    z.object({
      /** Whether `input.transcribe` has a voice provider behind it. */
      transcription: z.boolean(),
      /** Upload limits, so a client can refuse a file before sending it. */
      attachments: z.object({ max_bytes: z.int(), accept: z.array(z.string()) }),
      /** The models a message may ask for (`inference_options.model`); `default` is used when it names none. */
      models: z.optional(
        z.array(z.object({ id: z.string(), label: z.string(), default: z.optional(z.boolean()) })),
      ),
      /** The composer tools a message may pick (`inference_options.tool_choice`). */
      tools: z.optional(z.array(z.object({ id: z.string(), label: z.string() }))),
    }),
  ),
});
export type ChatKitSession = z.infer<typeof ChatKitSession>;
