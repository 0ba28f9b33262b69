/**
 * @module The Hugging Face Inference API through the server (seed 000): a task, a model, its inputs,
 * and the answer Hugging Face documents for that task.
 */
import * as z from 'zod/mini';
import { JsonObject } from '../../query.js';

/** The tasks `POST /api/huggingface/inference` runs, by Hugging Face's names. */
export const HuggingFaceTask = z.enum([
  'text-generation',
  'summarization',
  'translation',
  'text-classification',
  'token-classification',
  'zero-shot-classification',
  'question-answering',
  'fill-mask',
  'feature-extraction',
  'sentence-similarity',
]);
export type HuggingFaceTask = z.infer<typeof HuggingFaceTask>;

const text = /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(100_000));
const texts = /*#__PURE__*/ z.array(text).check(z.minLength(1), z.maxLength(64));

/** What each task takes as `inputs`, as Hugging Face documents it. */
export const huggingFaceTaskInputs = {
  'text-generation': text,
  summarization: z.union([text, texts]),
  translation: z.union([text, texts]),
  'text-classification': z.union([text, texts]),
  'token-classification': z.union([text, texts]),
  'zero-shot-classification': z.union([text, texts]),
  'question-answering': z.object({ question: text, context: text }),
  'fill-mask': z.union([text, texts]),
  'feature-extraction': z.union([text, texts]),
  'sentence-similarity': z.object({ source_sentence: text, sentences: texts }),
} as const satisfies Record<HuggingFaceTask, z.ZodMiniType>;

/** `POST /api/huggingface/inference`. */
export const HuggingFaceInferenceRequest = z.object({
  /** A model id on the Hub, such as `facebook/bart-large-cnn`. */
  model: /*#__PURE__*/ z
    .string()
    .check(
      z.regex(
        /^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}(\/[A-Za-z0-9][A-Za-z0-9_.-]{0,95})?$/,
        'Expected a Hub model id',
      ),
    ),
  /** The task; default `text-generation`. `inputs` must have the task's shape. */
  task: z._default(HuggingFaceTask, 'text-generation'),
  /** The task's input: text, a list of texts, or the object of `question-answering` and `sentence-similarity`. */
  inputs: z.unknown(),
  /** The task's parameters, as Hugging Face names them (`max_new_tokens`, `candidate_labels`, ...). */
  parameters: z.optional(JsonObject),
  /** Whether to wait for a cold model to load (`x-wait-for-model`) rather than fail at once; default false. */
  wait_for_model: z.optional(z.boolean()),
});
export type HuggingFaceInferenceRequest = z.infer<typeof HuggingFaceInferenceRequest>;

const labelScore = z.looseObject({ label: z.string(), score: z.number() });

/** What each task answers, as Hugging Face documents it. */
export const huggingFaceTaskOutputs = {
  'text-generation': z.array(z.looseObject({ generated_text: z.string() })),
  summarization: z.array(z.looseObject({ summary_text: z.string() })),
  translation: z.array(z.looseObject({ translation_text: z.string() })),
  'text-classification': z.union([z.array(labelScore), z.array(z.array(labelScore))]),
  'token-classification': z.array(
    z.looseObject({
      score: z.number(),
      word: z.string(),
      start: z.nullable(z.number()),
      end: z.nullable(z.number()),
    }),
  ),
  'zero-shot-classification': z.union([
    z.array(labelScore),
    z.looseObject({ sequence: z.string(), labels: z.array(z.string()), scores: z.array(z.number()) }),
  ]),
  'question-answering': z.union([
    z.looseObject({ answer: z.string(), score: z.number(), start: z.number(), end: z.number() }),
    z.array(z.looseObject({ answer: z.string(), score: z.number(), start: z.number(), end: z.number() })),
  ]),
  'fill-mask': z.array(z.looseObject({ sequence: z.string(), score: z.number(), token_str: z.string() })),
  'feature-extraction': z.array(z.union([z.number(), z.array(z.unknown())])),
  'sentence-similarity': z.array(z.number()),
} as const satisfies Record<HuggingFaceTask, z.ZodMiniType>;

/** The answer of `POST /api/huggingface/inference`: the task's output, as Hugging Face sent it. */
export const HuggingFaceInferenceResponse = z.union(Object.values(huggingFaceTaskOutputs));
export type HuggingFaceInferenceResponse = z.infer<typeof HuggingFaceInferenceResponse>;
/** The answer of one task. */
export type HuggingFaceTaskOutput<T extends HuggingFaceTask> = z.infer<(typeof huggingFaceTaskOutputs)[T]>;
