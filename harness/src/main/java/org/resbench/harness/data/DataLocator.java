package org.resbench.harness.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.DatasetDescriptor.SystemPlace;

/**
 * Finds a data set's files. It looks, in this order, in: the {@code --data-dir} folder (if given),
 * {@code $RESBENCH_DATA}, {@code ~/.resbench/data}, and the folders system packages install to (Debian's
 * {@code dataset-fashion-mnist}: {@code /usr/share/datasets/fashion-mnist}). Under a data root R it tries
 * {@code R/NAME} (and its unpacked-archive subfolders, e.g. {@code cifar-10-batches-bin}); the {@code --data-dir}
 * and {@code $RESBENCH_DATA} roots may also hold the files directly. The first folder holding every file of
 * the data set wins; checksums are checked when the files are read ({@link Datasets}), not here.
 * Fetches stage into hidden folders ({@code R/.NAME.partial-*}) that the locator never looks at.
 * Immutable and thread-safe.
 */
public final class DataLocator {
  private final Path dataDir;
  private final DataEnvironment env;

  /**
   * @param dataDir the {@code --data-dir} folder, or null
   */
  public DataLocator(Path dataDir, DataEnvironment env) {
    this.dataDir = dataDir;
    this.env = env;
  }

  /** The locator of the command line: {@code dataDir} (may be null) and this machine's environment. */
  public static DataLocator standard(Path dataDir) {
    return new DataLocator(dataDir, DataEnvironment.system());
  }

  public DataEnvironment environment() {
    return env;
  }

  /** A folder to search and where it came from ({@code --data-dir}, {@code $RESBENCH_DATA}, ...). */
  public record Place(String origin, Path dir) {}

  /** A data set found in {@code dir}, with the path of each file (by the file's canonical name). */
  public record Location(DatasetDescriptor dataset, Place place, Map<String, Path> files) {
    public Location {
      files = Map.copyOf(files);
    }

    public Path dir() {
      return place.dir();
    }

    /** The path of {@code file}. */
    public Path path(FileSpec file) {
      Path p = files.get(file.name());
      if (p == null) {
        throw new IllegalArgumentException("data set " + dataset.name() + " has no file " + file.name());
      }
      return p;
    }
  }

  /** The outcome of a search: the first complete place, and every place looked in with its verdict. */
  public record Search(Optional<Location> found, List<String> looked) {
    public Search {
      looked = List.copyOf(looked);
    }
  }

  /** The folders searched for {@code d}, in order, without duplicates. */
  public List<Place> places(DatasetDescriptor d) {
    List<Place> out = new ArrayList<>();
    Set<Path> seen = new LinkedHashSet<>();
    if (dataDir != null) {
      addRoot(out, seen, "--data-dir", dataDir, d, true);
    }
    env.dataVariable().ifPresent(r -> addRoot(out, seen, "$" + DataEnvironment.DATA_VARIABLE, r, d, true));
    addRoot(out, seen, "~/.resbench/data", env.userDataRoot(), d, false);
    for (SystemPlace sp : d.systemPlaces()) {
      add(out, seen, "system: " + sp.origin(), env.system(sp.path()));
    }
    return out;
  }

  private static void addRoot(List<Place> out, Set<Path> seen, String origin, Path root, DatasetDescriptor d,
      boolean direct) {
    Path named = root.resolve(d.name());
    add(out, seen, origin, named);
    for (String sub : d.subdirectories()) {
      add(out, seen, origin, named.resolve(sub));
    }
    if (direct) {
      add(out, seen, origin, root);
      for (String sub : d.subdirectories()) {
        add(out, seen, origin, root.resolve(sub));
      }
    }
  }

  private static void add(List<Place> out, Set<Path> seen, String origin, Path dir) {
    Path norm = dir.toAbsolutePath().normalize();
    if (seen.add(norm)) {
      out.add(new Place(origin, norm));
    }
  }

  /** Searches every place in order. */
  public Search search(DatasetDescriptor d) {
    List<String> looked = new ArrayList<>();
    if (dataDir == null) {
      looked.add("--data-dir: not given");
    }
    if (env.dataVariable().isEmpty()) {
      looked.add("$" + DataEnvironment.DATA_VARIABLE + ": not set");
    }
    for (Place p : places(d)) {
      Map<String, Path> files = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      if (!Files.isDirectory(p.dir())) {
        looked.add(p.origin() + ": " + p.dir() + ": no such folder");
        continue;
      }
      for (FileSpec f : d.files()) {
        Optional<Path> found = find(p.dir(), d, f);
        if (found.isPresent()) {
          files.put(f.name(), found.get());
        } else {
          missing.add(f.name());
        }
      }
      if (missing.isEmpty()) {
        return new Search(Optional.of(new Location(d, p, files)), looked);
      }
      looked.add(p.origin() + ": " + p.dir() + ": " + (files.isEmpty() ? "none of the files"
          : "incomplete, missing " + String.join(", ", missing)));
    }
    return new Search(Optional.empty(), looked);
  }

  /** The first place holding every file of {@code d}. */
  public Optional<Location> find(DatasetDescriptor d) {
    return search(d).found();
  }

  /** The first place holding every file of {@code d}, or an exception listing every place looked in. */
  public Location locate(DatasetDescriptor d) {
    Search s = search(d);
    return s.found().orElseThrow(() -> new DatasetNotFoundException(d, s.looked()));
  }

  /** The data set in exactly {@code dir} (no other places), if every file is there. */
  public static Optional<Location> in(Path dir, DatasetDescriptor d, String origin) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (FileSpec f : d.files()) {
      Optional<Path> p = find(dir, d, f);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      files.put(f.name(), p.get());
    }
    return Optional.of(new Location(d, new Place(origin, dir.toAbsolutePath().normalize()), files));
  }

  private static Optional<Path> find(Path dir, DatasetDescriptor d, FileSpec f) {
    for (String n : d.storedNames(f)) {
      Path p = dir.resolve(n);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
