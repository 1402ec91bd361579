package org.resbench.harness.data.fetch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external tools some sources need ({@code apt-get}, {@code dpkg-deb}, {@code npm}). */
final class Processes {
  private Processes() {}

  /** Whether {@code exe} is an executable on {@code PATH}. */
  static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code cmd} in {@code cwd} with standard input closed, calling {@code poll} about five times a second
   * while it runs (to report progress); returns its combined output.
   *
   * @throws IOException if it cannot start, exits non-zero (the message ends with its last output lines), or
   *     runs longer than {@code timeout} (it is then killed)
   */
  static String run(List<String> cmd, Path cwd, Duration timeout, Runnable poll) throws IOException {
    Path log = Files.createTempFile(cwd, ".out-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = pb.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
        poll.run();
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IOException(String.join(" ", cmd) + " did not finish within " + timeout.toSeconds() + " s");
        }
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", cmd) + " was interrupted", e);
    }
    poll.run();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": " + tail(out, 8));
    }
    return out;
  }

  /** The last {@code n} non-blank lines of {@code text}, joined by " | ". */
  static String tail(String text, int n) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }
}
