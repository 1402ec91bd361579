package org.resbench.results;

/** How a run ended. */
public enum RunStatus {
  /** Ran to the end and every check passed. */
  PASSED,
  /** Ran to the end but a check failed (e.g. a backend outside the parity tolerances). */
  FAILED,
  /** Stopped early: training diverged or a backend failed; the record says why and holds what was finished. */
  INCOMPLETE
}
