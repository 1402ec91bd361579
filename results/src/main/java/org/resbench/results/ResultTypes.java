package org.resbench.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The {@link ResultType} plug-ins on the class path, in class-path and file order, found once per JVM. A name
 * registered twice, or a data class registered under two names, is an error naming both providers.
 * Immutable and thread-safe.
 */
public final class ResultTypes {
  private static volatile ResultTypes installed;

  private final List<ResultType<?>> all;
  private final Map<String, ResultType<?>> byName = new LinkedHashMap<>();
  private final Map<Class<?>, ResultType<?>> byClass = new LinkedHashMap<>();

  /** A registry of exactly these types (tests); {@link #installed()} is the one the program uses. */
  public ResultTypes(List<? extends ResultType<?>> types) {
    this.all = List.copyOf(types);
    for (ResultType<?> t : all) {
      ResultType<?> before = byName.putIfAbsent(t.name(), t);
      if (before != null) {
        throw new IllegalStateException("two plug-ins register the experiment '" + t.name() + "': "
            + before.getClass().getName() + " and " + t.getClass().getName() + "; allowed: one per name");
      }
      before = byClass.putIfAbsent(t.dataClass(), t);
      if (before != null) {
        throw new IllegalStateException("the data class " + t.dataClass().getName() + " is registered as '"
            + before.name() + "' and as '" + t.name() + "'; allowed: one name per data class");
      }
    }
  }

  /** The plug-ins found through {@link ServiceLoader}. */
  public static ResultTypes installed() {
    ResultTypes r = installed;
    if (r == null) {
      synchronized (ResultTypes.class) {
        r = installed;
        if (r == null) {
          List<ResultType<?>> found = new ArrayList<>();
          try {
            ServiceLoader.load(ResultType.class).forEach(found::add);
          } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("an experiment plug-in cannot be loaded: " + e.getMessage(), e);
          }
          installed = r = new ResultTypes(found);
        }
      }
    }
    return r;
  }

  public List<ResultType<?>> all() {
    return all;
  }

  /** The plug-ins that are also of {@code kind} (e.g. those that render a report section), in order. */
  public <T> List<T> all(Class<T> kind) {
    return all.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  public Optional<ResultType<?>> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The plug-in whose data class is exactly {@code dataClass}. */
  public Optional<ResultType<?>> byDataClass(Class<?> dataClass) {
    return Optional.ofNullable(byClass.get(dataClass));
  }
}
