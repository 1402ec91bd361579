package org.resbench.harness.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.resbench.harness.io.UserDirs;

/**
 * What the data locator and fetcher read from the machine: environment variables ({@value #DATA_VARIABLE}),
 * the user's home folder, and the root under which system places ({@code /usr/share/datasets/...}) are
 * resolved. Tests pass their own to stay independent of the machine. Immutable and thread-safe.
 */
public record DataEnvironment(Map<String, String> variables, Path userHome, Path systemRoot) {
  /** The environment variable naming a data root. */
  public static final String DATA_VARIABLE = "RESBENCH_DATA";

  public DataEnvironment {
    variables = Map.copyOf(variables);
  }

  /** This process's environment, the home folder ({@code $HOME}, else {@code user.home}), and {@code /}. */
  public static DataEnvironment system() {
    return new DataEnvironment(System.getenv(), UserDirs.home(), Path.of("/"));
  }

  /** {@code $RESBENCH_DATA} when set and not blank. */
  public Optional<Path> dataVariable() {
    String v = variables.get(DATA_VARIABLE);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v.trim()));
  }

  /** {@code ~/.resbench/data}. */
  public Path userDataRoot() {
    return userHome.resolve(".resbench").resolve("data");
  }

  /** Where a fetch puts data sets unless told otherwise: {@code $RESBENCH_DATA}, else {@code ~/.resbench/data}. */
  public Path defaultFetchRoot() {
    return dataVariable().orElse(userDataRoot());
  }

  /** An absolute system path ({@code /usr/share/...}) under {@link #systemRoot}. */
  public Path system(String absolute) {
    return systemRoot.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
  }
}
