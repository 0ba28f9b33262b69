/**
 * @module The seed's built-ins, offline and deterministic: the `DummyEngine` engine type and the
 * `DummyEngineCommand` command type, which runs a prompt through it.
 */
import * as z from 'zod/mini';

/** The engine type that answers without a model. */
export const dummyEngineType = 'DummyEngine';

/** The built-in command type. */
export const dummyCommandType = 'DummyEngineCommand';

/** The event type the dummy engine reports its progress with. */
export const dummyStatusEvent = 'DummyEngineStatusUpdate';

/** `DummyEngineCommand`'s parameters. */
export const DummyCommandParameters = z.object({
  prompt: z.string().check(z.minLength(1), z.maxLength(100_000)),
});

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** What the dummy engine answers to a prompt: `Processed: <prompt>`, with word counts as tokens. */
export const dummyReply = (prompt: string) => {
  const response = `Processed: ${prompt}`;
  return { response, usage: { input_tokens: words(prompt), output_tokens: words(response) } };
};
