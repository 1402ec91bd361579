package org.resbench.cli;

import java.io.PrintWriter;
import org.resbench.harness.backend.BackendException;
import picocli.CommandLine;

/** Entry point of the {@code resbench} command. The only place that turns failures into exit codes. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns the exit code ({@link ExitCodes}); for tests and embedding. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine(out, err);
    return cl.execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new ResbenchCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof IllegalArgumentException) {
        commandLine.getErr().println("error: " + ex.getMessage());
        return ExitCodes.USAGE;
      }
      if (ex instanceof BackendException) {
        commandLine.getErr().println("error: " + ex.getMessage());
        return ExitCodes.BACKEND;
      }
      if (ex instanceof java.io.UncheckedIOException) {
        commandLine.getErr().println("error: " + ex.getMessage());
        return ExitCodes.IO;
      }
      if (ex instanceof CommandFailure f) {
        commandLine.getErr().println("error: " + f.getMessage());
        return f.exitCode();
      }
      commandLine.getErr().println("error: " + ex);
      ex.printStackTrace(commandLine.getErr());
      return ExitCodes.FAILURE;
    });
    return cl;
  }
}
