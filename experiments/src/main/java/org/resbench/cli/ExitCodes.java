package org.resbench.cli;

/** The exit codes of {@code resbench}, documented in the README. */
public final class ExitCodes {
  private ExitCodes() {}

  /** Success. */
  public static final int OK = 0;
  /** The work ran but failed: an experiment's check failed, a run diverged, a comparison found a regression. */
  public static final int FAILURE = 1;
  /** Bad input: an unknown spec, backend or option, a malformed config or data file. */
  public static final int USAGE = 2;
  /** A backend or the machine cannot do what was asked (engine missing, no CUDA device). */
  public static final int BACKEND = 3;
  /** An unwritable output location or another I/O failure. */
  public static final int IO = 4;

  /** {@code resbench nightly}: every item ran, and at least one metric regressed against the baseline. */
  public static final int REGRESSION = 5;
}
