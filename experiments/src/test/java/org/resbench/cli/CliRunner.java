package org.resbench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process for tests, capturing its output. Stateless. */
public final class CliRunner {
  private CliRunner() {}

  /** The result of one CLI invocation. */
  public record Run(int code, String out, String err) {}

  /** Runs {@code resbench ARGS} and returns its exit code and output. */
  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }
}
