package org.resbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Facts about the machine and the source tree for provenance. Stateless and thread-safe. */
public final class EnvironmentInfo {
  private EnvironmentInfo() {}

  /** JVM, OS, CPU model, cores and host name. */
  public static Map<String, String> capture() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vendor") + ")");
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    m.put("cpu", cpuModel());
    m.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    m.put("maxHeapMiB", String.valueOf(Runtime.getRuntime().maxMemory() >> 20));
    String host = System.getenv("HOSTNAME");
    m.put("host", host != null ? host : "unknown");
    return m;
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
    return System.getProperty("os.arch");
  }

  /**
   * The git commit of {@code dir}'s work tree, with "-dirty" when it has uncommitted changes, or "unknown"
   * (no git, not a repository, or git took over 5 s).
   */
  public static String gitCommit(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return "unknown";
    }
    String head = git(dir, "rev-parse", "HEAD");
    if (head == null || head.isBlank()) {
      return "unknown";
    }
    String status = git(dir, "status", "--porcelain", "--untracked-files=no");
    return head.trim() + (status != null && !status.isBlank() ? "-dirty" : "");
  }

  private static String git(Path dir, String... args) {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "git";
    cmd[1] = "-C";
    cmd[2] = dir.toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    return output(java.time.Duration.ofSeconds(5), cmd);
  }

  /**
   * The standard output of {@code cmd}, or null when it fails, exits non-zero or outlives {@code timeout} (then
   * it is killed). The output goes to a temporary file rather than a pipe, so a command that hangs without
   * writing cannot block the caller: the timeout is what ends the wait.
   */
  static String output(java.time.Duration timeout, String... cmd) {
    java.nio.file.Path out = null;
    Process p = null;
    try {
      out = java.nio.file.Files.createTempFile("resbench-cmd", ".out");
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
        return null;
      }
      return java.nio.file.Files.readString(out, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (p != null && p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      if (out != null) {
        try {
          java.nio.file.Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }
}
