package org.resbench.experiments.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.resbench.harness.io.AtomicFiles;

/**
 * The command by which a batch job runs resbench: the project's {@code resbench} launcher when this process was
 * started by it (the {@code resbench.home} property), else this JVM with its class path in an argument file
 * ({@code java @FILE}, so the command line stays short), or a command the user gives. Stateless.
 */
public final class Launcher {
  private Launcher() {}

  /**
   * The command words.
   *
   * @param given the user's command (split on spaces), or null
   * @param argDir where the argument file goes when this JVM is used
   */
  public static List<String> resolve(String given, Path argDir) {
    if (given != null && !given.isBlank()) {
      return List.of(given.trim().split("\\s+"));
    }
    String home = System.getProperty("resbench.home");
    if (home != null) {
      Path launcher = Path.of(home).toAbsolutePath().resolve("resbench");
      if (Files.isExecutable(launcher)) {
        return List.of(launcher.toString());
      }
    }
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> lines = new ArrayList<>();
    lines.add("-Djava.awt.headless=true");
    Map<String, String> props = new TreeMap<>();
    System.getProperties().forEach((k, v) -> {
      String key = k.toString();
      if ((key.startsWith("resbench.") && !key.equals("resbench.home")) || key.startsWith("ai.djl.")) {
        props.put(key, v.toString());
      }
    });
    props.putIfAbsent("ai.djl.offline", "true");
    props.forEach((k, v) -> lines.add(argfileWord("-D" + k + "=" + v)));
    lines.add("-cp");
    lines.add(argfileWord(System.getProperty("java.class.path")));
    lines.add("org.resbench.cli.Main");
    Path file = argDir.resolve("java.args");
    try {
      Files.createDirectories(argDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + argDir + ": " + e.getMessage(), e);
    }
    AtomicFiles.writeString(file, String.join("\n", lines) + "\n");
    return List.of(java, "@" + file);
  }

  /** A word in a java argument file: quoted (with backslashes doubled) when it has spaces or quotes. */
  static String argfileWord(String w) {
    if (!w.matches(".*[\\s\"'#\\\\].*")) {
      return w;
    }
    return "\"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
