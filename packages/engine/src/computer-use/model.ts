/** @module The port of the computer-use model: one turn of OpenAI's computer-use loop. */
import type { ComputerCall, ComputerEnvironment, SafetyCheck } from '@cartrita/contracts';

/** One turn: the task (first turn) or the answer to the last call (later turns). */
export interface ComputerUseTurnRequest {
  model: string;
  environment: ComputerEnvironment;
  /** The first turn: the task, and the screen before any action when the caller sent one. */
  start?: { task: string; screenshot?: string };
  /** A later turn: the response it continues and the screen after the call's actions. */
  answer?: {
    previousResponseId: string;
    callId: string;
    screenshot: string;
    currentUrl?: string;
    acknowledged: SafetyCheck[];
  };
  signal: AbortSignal;
}

/** What the model did in one turn. */
export interface ComputerUseTurn {
  /** The Responses API id the next turn continues from. */
  responseId: string;
  /** Its computer calls (none when it answered in words). */
  calls: ComputerCall[];
  /** Its words. */
  output: string;
}

/** The computer-use model; the server's runs OpenAI's Responses API. Failures are `HttpError`s. */
export interface ComputerUseModel {
  turn(request: ComputerUseTurnRequest): Promise<ComputerUseTurn>;
}
