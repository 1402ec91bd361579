package org.resbench.harness.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The backends on the class path, found through {@link ServiceLoader}. Each call to {@link #discover()}
 * loads fresh providers (cheap: providers open engines lazily); a {@code Backends} instance is immutable and
 * thread-safe.
 */
public final class Backends {
  private final List<Backend> backends;

  private Backends(List<Backend> backends) {
    List<Backend> sorted = new ArrayList<>(backends);
    sorted.sort(Comparator.comparing(Backend::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalStateException("two backends are named '" + sorted.get(i).name() + "': "
            + sorted.get(i - 1).getClass().getName() + " and " + sorted.get(i).getClass().getName());
      }
    }
    this.backends = List.copyOf(sorted);
  }

  /** Every backend the class loader of this class can see. */
  public static Backends discover() {
    List<Backend> found = new ArrayList<>();
    ServiceLoader.load(Backend.class, Backends.class.getClassLoader()).forEach(found::add);
    return new Backends(found);
  }

  /** A fixed set, for tests. */
  public static Backends of(List<Backend> backends) {
    return new Backends(backends);
  }

  /** All of them, sorted by name. */
  public List<Backend> all() {
    return backends;
  }

  public List<String> names() {
    return backends.stream().map(Backend::name).toList();
  }

  /** The backend with this name, or an {@link IllegalArgumentException} listing the valid names. */
  public Backend get(String name) {
    return backends.stream().filter(b -> b.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown backend '" + name + "'; allowed: "
            + (backends.isEmpty() ? "(none on the class path)" : backends.stream().map(Backend::name)
                .collect(Collectors.joining(", ")))));
  }

  /** The backends that are available here and support every one of {@code needed}. */
  public List<Backend> supporting(Capability... needed) {
    return backends.stream().filter(b -> {
      Capabilities c = b.probe();
      for (Capability n : needed) {
        if (!c.can(n)) {
          return false;
        }
      }
      return true;
    }).toList();
  }
}
