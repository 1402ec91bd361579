package org.resbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.io.UserDirs;
import picocli.CommandLine;

/**
 * Entry point of the {@code resbench} command. The only place that turns failures into exit codes, and the last
 * resort for failures nobody expected: those print one line that says where the details (the stack trace) were
 * logged ({@code ~/.resbench/logs/}), never a stack trace.
 */
public final class Main {
  private Main() {}

  /** Set by {@code -Dresbench.logs=DIR} (tests) to move crash logs away from {@code ~/.resbench/logs}. */
  static final String LOGS_PROPERTY = "resbench.logs";

  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  public static void main(String[] args) {
    PrintWriter err = new PrintWriter(System.err, true);
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
      // A failure on another thread (a progress bar, a library's worker) gets the same one line and log.
      err.println("error: " + lastResort(e, args, "thread " + t.getName()).message());
    });
    System.exit(run(args, new PrintWriter(System.out, true), err));
  }

  /** Runs the command line and returns the exit code ({@link ExitCodes}); for tests and embedding. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(commandLine(out, err), args, err);
  }

  /** Runs {@code cl} (made by {@link #commandLine}) with the same last-resort handling. */
  static int run(CommandLine cl, String[] args, PrintWriter err) {
    try {
      return cl.execute(args);
    } catch (Throwable t) { // picocli passes Errors (out of memory, stack overflow) through: catch them here
      Outcome o = lastResort(t, args, "main");
      err.println("error: " + o.message());
      return o.exitCode();
    }
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new ResbenchCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter e = commandLine.getErr();
      if (ex instanceof CommandFailure f) {
        e.println("error: " + f.getMessage());
        return f.exitCode();
      }
      if (ex instanceof IllegalArgumentException) {
        e.println("error: " + ex.getMessage());
        return ExitCodes.USAGE;
      }
      if (ex instanceof BackendException) {
        e.println("error: " + ex.getMessage());
        return ExitCodes.BACKEND;
      }
      if (ex instanceof UncheckedIOException) {
        e.println("error: " + ex.getMessage());
        return ExitCodes.IO;
      }
      Outcome o = lastResort(ex, parseResult.originalArgs().toArray(new String[0]), "main");
      e.println("error: " + o.message());
      return o.exitCode();
    });
    return cl;
  }

  /** The one line a user reads for an unexpected failure, and its exit code. */
  record Outcome(String message, int exitCode) {}

  /**
   * Logs {@code t} with its stack trace and says in one line what happened and where the log is. Running out of
   * memory is the machine not being able to do what was asked (exit 3); anything else is an internal error
   * (exit 1).
   */
  static Outcome lastResort(Throwable t, String[] args, String thread) {
    String log = writeLog(t, args, thread);
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (t instanceof OutOfMemoryError || root instanceof OutOfMemoryError) {
      long max = Runtime.getRuntime().maxMemory();
      return new Outcome(String.format(Locale.ROOT, "out of memory (the Java heap's limit is %s): this needs more"
          + " memory than the JVM may use; make the model, batch or data smaller, or give the JVM more with"
          + " RESBENCH_JAVA_OPTS=-Xmx<size> (%s)", bytes(max), log), ExitCodes.BACKEND);
    }
    if (t instanceof StackOverflowError || root instanceof StackOverflowError) {
      return new Outcome("the input nests too deeply for this JVM's stack (" + log + ")", ExitCodes.USAGE);
    }
    return new Outcome("an internal error stopped resbench (" + log + "; please attach it to a bug report)",
        ExitCodes.FAILURE);
  }

  /** Writes the details to a fresh log file; returns "details in PATH", or why there is no log. */
  private static String writeLog(Throwable t, String[] args, String thread) {
    StringWriter sw = new StringWriter();
    try (PrintWriter w = new PrintWriter(sw)) {
      w.println("resbench " + VersionProvider.version() + " at " + Instant.now());
      w.println("arguments: " + String.join(" ", args == null ? new String[0] : args));
      w.println("thread: " + thread);
      w.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
          + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", max heap "
          + bytes(Runtime.getRuntime().maxMemory()));
      w.println();
      t.printStackTrace(w);
    }
    String name = "resbench-" + LOG_TIME.format(Instant.now()) + "-" + ProcessHandle.current().pid() + ".log";
    String configured = System.getProperty(LOGS_PROPERTY);
    Path[] candidates = {configured != null ? Path.of(configured) : UserDirs.logs(),
        Path.of(System.getProperty("java.io.tmpdir"))};
    String failure = null;
    for (Path dir : candidates) {
      try {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, sw.toString(), java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        return "details in " + file;
      } catch (IOException | RuntimeException e) {
        failure = failure != null ? failure : dir + ": " + (e instanceof IOException io
            ? org.resbench.harness.io.IoMessages.reason(io) : "not allowed");
      }
    }
    return "no log could be written: " + failure;
  }

  private static String bytes(long b) {
    return b >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30))
        : String.format(Locale.ROOT, "%d MiB", b >> 20);
  }
}
