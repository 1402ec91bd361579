package org.resbench.results;

/** How a run ended. */
public enum RunStatus {
  /** Ran to the end and every check passed. */
  PASSED,
  /** Ran to the end but a check failed (e.g. a backend outside the parity tolerances). */
  FAILED,
  /** Stopped early: training diverged or a backend failed; the record says why and holds what was finished. */
  INCOMPLETE,
  /**
   * Not finished: still running, or interrupted (killed, crashed) after its last save. The record holds what was
   * done so far; {@code resbench run EXPERIMENT --resume ID} (or {@code train --resume ID}) continues it from its
   * checkpoints.
   */
  UNFINISHED
}
