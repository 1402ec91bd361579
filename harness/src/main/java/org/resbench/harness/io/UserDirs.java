package org.resbench.harness.io;

import java.nio.file.Path;
import java.util.Map;

/**
 * The user's folders as a command-line tool should find them: {@code $HOME} when it is set to an absolute path
 * (as the shell and every other tool use it), else the JVM's {@code user.home} (which the JVM reads from the
 * password database and so ignores {@code HOME=/tmp/x resbench ...}). Stateless.
 */
public final class UserDirs {
  private UserDirs() {}

  /** {@code $HOME} when absolute, else {@code user.home}. */
  public static Path home() {
    return home(System.getenv(), System.getProperty("user.home"));
  }

  /** {@link #home()} from the given environment and {@code user.home} value (for tests). */
  public static Path home(Map<String, String> env, String userHome) {
    String h = env.get("HOME");
    if (h != null && !h.isBlank()) {
      Path p = Path.of(h.trim());
      if (p.isAbsolute()) {
        return p.normalize();
      }
    }
    return Path.of(userHome == null || userHome.isBlank() ? "." : userHome).toAbsolutePath().normalize();
  }

  /** {@code ~/.resbench}: the default home of results, reports, data, caches and logs. */
  public static Path resbenchHome() {
    return home().resolve(".resbench");
  }

  /** {@code ~/.resbench/logs}: where crash logs go. */
  public static Path logs() {
    return resbenchHome().resolve("logs");
  }
}
