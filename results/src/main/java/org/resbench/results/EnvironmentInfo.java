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
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
