/** @module The computer-use area's repository port: runs, each with its recorded steps. */
import type { ComputerUseRun, ComputerUseStatus, ComputerUseStep } from '@cartrita/contracts';

/** A run as stored: the public run, its owner, its steps and the model's last response id. */
export interface StoredComputerUseRun extends Omit<ComputerUseRun, 'actions'> {
  user_id: string;
  /** The Responses API id the next turn continues from. */
  last_response_id: string | null;
  steps: ComputerUseStep[];
}

/** Stores runs. */
export interface ComputerUseRunStore {
  create(run: StoredComputerUseRun): Promise<StoredComputerUseRun>;
  /** A run of `userId`'s, or `undefined`. */
  get(id: string, userId: string): Promise<StoredComputerUseRun | undefined>;
  /**
   * Replaces a run whose status is still `from`: `false`, and nothing changed, when another change
   * (a cancel, a concurrent step) came first.
   */
  replace(run: StoredComputerUseRun, from: ComputerUseStatus): Promise<boolean>;
}

/** The computer-use area's repositories. */
export interface ComputerUseRepositories {
  computerUseRuns: ComputerUseRunStore;
}
