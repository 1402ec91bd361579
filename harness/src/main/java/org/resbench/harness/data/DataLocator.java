package org.resbench.harness.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.DatasetDescriptor.SystemPlace;
import org.resbench.harness.io.IoMessages;

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

  /**
   * Why a place the user named cannot be used.
   *
   * @param origin {@code --data-dir} or {@code $RESBENCH_DATA}
   * @param dir the folder
   * @param what the defect in words, e.g. {@code no such folder}
   */
  public record Defect(String origin, Path dir, String what) {
    @Override
    public String toString() {
      return origin + " " + dir + ": " + what;
    }
  }

  /**
   * The outcome of a search: the first complete place, every place looked in with its verdict, and the defects of
   * the places the user named ({@code --data-dir}, {@code $RESBENCH_DATA}), which make them unusable.
   */
  public record Search(Optional<Location> found, List<String> looked, List<Defect> defects) {
    public Search {
      looked = List.copyOf(looked);
      defects = List.copyOf(defects);
    }

    public Search(Optional<Location> found, List<String> looked) {
      this(found, looked, List.of());
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

  /**
   * Searches every place in order; the first place holding every file wins. A place the user named is checked
   * whole: a missing or unreadable folder, a file that is a folder, a dangling link or a link loop, or a data set
   * only partly there is a defect of that place (listed in {@link Search#defects()}), never silently passed over.
   */
  public Search search(DatasetDescriptor d) {
    List<String> looked = new ArrayList<>();
    List<Defect> defects = new ArrayList<>();
    if (dataDir == null) {
      looked.add("--data-dir: not given");
    }
    if (env.dataVariable().isEmpty()) {
      looked.add("$" + DataEnvironment.DATA_VARIABLE + ": not set");
    }
    for (Path root : explicitRoots()) {
      String origin = root.equals(dataDir) ? "--data-dir" : "$" + DataEnvironment.DATA_VARIABLE;
      folderDefect(root).ifPresent(defect -> defects.add(new Defect(origin, root.toAbsolutePath().normalize(),
          defect)));
    }
    Optional<Location> found = Optional.empty();
    for (Place p : places(d)) {
      boolean explicit = p.origin().equals("--data-dir") || p.origin().equals("$" + DataEnvironment.DATA_VARIABLE);
      Optional<String> folder = folderDefect(p.dir());
      if (folder.isPresent()) {
        looked.add(p.origin() + ": " + p.dir() + ": " + folder.get());
        continue;
      }
      Map<String, Path> files = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      List<String> broken = new ArrayList<>();
      for (FileSpec f : d.files()) {
        Probe probe = probe(p.dir(), d, f);
        if (probe.path() != null) {
          files.put(f.name(), probe.path());
        } else if (probe.defect() != null) {
          broken.add(probe.defect());
        } else {
          missing.add(f.name());
        }
      }
      if (missing.isEmpty() && broken.isEmpty()) {
        if (found.isEmpty()) {
          found = Optional.of(new Location(d, p, files));
        }
        continue;
      }
      String verdict;
      if (!broken.isEmpty()) {
        verdict = String.join("; ", broken) + (missing.isEmpty() ? "" : "; missing " + String.join(", ", missing));
      } else if (files.isEmpty()) {
        verdict = "none of the files";
      } else {
        verdict = "incomplete, missing " + String.join(", ", missing);
      }
      if (found.isEmpty()) {
        looked.add(p.origin() + ": " + p.dir() + ": " + verdict);
      }
      if (explicit && (!broken.isEmpty() || !files.isEmpty())) {
        defects.add(new Defect(p.origin(), p.dir(), d.name() + " is damaged: " + verdict));
      }
    }
    return new Search(found, looked, defects);
  }

  /** The roots the user named: {@code --data-dir} and {@code $RESBENCH_DATA}. */
  private List<Path> explicitRoots() {
    List<Path> out = new ArrayList<>();
    if (dataDir != null) {
      out.add(dataDir);
    }
    env.dataVariable().ifPresent(out::add);
    return out;
  }

  /** Why {@code dir} cannot be searched (missing, a file, a link loop, unreadable), or empty when it can. */
  static Optional<String> folderDefect(Path dir) {
    try {
      BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class);
      if (!a.isDirectory()) {
        return Optional.of("not a folder (a file)");
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        ds.iterator().hasNext();
      }
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.of(Files.isSymbolicLink(dir) ? "a symbolic link to nothing" : "no such folder");
    } catch (IOException e) {
      return Optional.of(IoMessages.reason(e));
    }
  }

  /** A file found ready to read, or a defect (a folder, a dangling link, a loop, unreadable), or neither. */
  private record Probe(Path path, String defect) {}

  private static Probe probe(Path dir, DatasetDescriptor d, FileSpec f) {
    String defect = null;
    for (String n : d.storedNames(f)) {
      Path p = dir.resolve(n);
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        if (a.isRegularFile()) {
          if (!Files.isReadable(p)) {
            defect = n + ": permission denied";
            continue;
          }
          return new Probe(p, null);
        }
        defect = n + (a.isDirectory() ? " is a folder, not a file" : " is not a regular file");
      } catch (NoSuchFileException e) {
        if (Files.isSymbolicLink(p)) {
          defect = n + " is a symbolic link to nothing";
        }
      } catch (IOException e) {
        defect = n + ": " + IoMessages.reason(e);
      }
    }
    return new Probe(null, defect);
  }

  /** The first place holding every file of {@code d}. */
  public Optional<Location> find(DatasetDescriptor d) {
    return search(d).found();
  }

  /**
   * The first place holding every file of {@code d}. Throws a {@link DataFormatException} when a place the user
   * named is unusable (even if another place has the data set: nothing falls back silently), else a
   * {@link DatasetNotFoundException} listing every place looked in when none has it.
   */
  public Location locate(DatasetDescriptor d) {
    Search s = search(d);
    requireNoDefects(d, s);
    return s.found().orElseThrow(() -> new DatasetNotFoundException(d, s.looked()));
  }

  /**
   * Checks, without reading data, that the places the user named are usable for {@code d}: commands call it
   * before any work. A data set that is simply absent is not a defect.
   */
  public void requireUsable(DatasetDescriptor d) {
    requireNoDefects(d, search(d));
  }

  /**
   * Checks, without naming a data set, that the folders the user named ({@code --data-dir}, {@code $RESBENCH_DATA})
   * can be searched at all: present, folders, readable, no link loop. Commands whose data set is only known later
   * (from an experiment's configuration) call it before any work.
   */
  public void requireUsableRoots() {
    for (Path root : explicitRoots()) {
      String origin = root.equals(dataDir) ? "--data-dir" : "$" + DataEnvironment.DATA_VARIABLE;
      Optional<String> defect = folderDefect(root);
      if (defect.isPresent()) {
        throw new DataFormatException(root.toAbsolutePath().normalize(), defect.get() + " (" + origin + "); allowed:"
            + " a readable folder of data sets (NAME/ folders, or one data set's files)");
      }
    }
  }

  private static void requireNoDefects(DatasetDescriptor d, Search s) {
    if (!s.defects().isEmpty()) {
      Defect first = s.defects().get(0);
      StringBuilder sb = new StringBuilder(first.what());
      for (Defect other : s.defects().subList(1, s.defects().size())) {
        sb.append("; and ").append(other);
      }
      throw new DataFormatException(first.dir(), sb + " (" + first.origin() + "); allowed: a readable folder holding "
          + d.name() + "'s files (directly or in " + d.name() + "/), e.g. from '" + d.fetchCommand() + "'");
    }
  }

  /** The data set in exactly {@code dir} (no other places), if every file is there. */
  public static Optional<Location> in(Path dir, DatasetDescriptor d, String origin) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (FileSpec f : d.files()) {
      Optional<Path> p = findFile(dir, d, f);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      files.put(f.name(), p.get());
    }
    return Optional.of(new Location(d, new Place(origin, dir.toAbsolutePath().normalize()), files));
  }

  private static Optional<Path> findFile(Path dir, DatasetDescriptor d, FileSpec f) {
    for (String n : d.storedNames(f)) {
      Path p = dir.resolve(n);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
