package org.resbench.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.resbench.harness.io.AtomicFiles;

/**
 * Run records on disk: {@code ROOT/ID/run.json}. A run folder is written under a hidden temporary name and
 * renamed into place, so a reader never sees a half-written run. Instances are immutable and thread-safe;
 * concurrent writers of distinct ids do not interfere.
 */
public final class ResultsStore {
  /** The file name of a run record inside its folder. */
  public static final String RECORD_FILE = "run.json";
  private final Path root;

  public ResultsStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** {@code $RESBENCH_RESULTS}, else {@code ~/.resbench/results}. */
  public static Path defaultRoot() {
    String env = System.getenv("RESBENCH_RESULTS");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".resbench", "results");
  }

  public Path root() {
    return root;
  }

  /**
   * Creates the root if needed and proves it writable by writing and deleting a probe file: call before a
   * long run so an unwritable folder fails in a second, not after an hour.
   */
  public void requireWritable() {
    try {
      Files.createDirectories(root);
      Path probe = Files.createTempFile(root, ".probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new UncheckedIOException(new IOException("results folder " + root + " is not writable ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + "); choose another with --results DIR or"
          + " RESBENCH_RESULTS", e));
    }
  }

  /** Writes {@code record} atomically and returns its folder. Refuses to overwrite an existing run. */
  public Path write(RunRecord record) {
    requireWritable();
    Path target = root.resolve(record.id());
    if (Files.exists(target)) {
      throw new IllegalArgumentException("run '" + record.id() + "' already exists in " + root
          + "; allowed: a new run id");
    }
    Path tmp = root.resolve("." + record.id() + ".partial");
    try {
      deleteRecursively(tmp);
      Files.createDirectories(tmp);
      Files.writeString(tmp.resolve(RECORD_FILE), JsonCodec.write(record), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
      return target;
    } catch (IOException e) {
      try {
        deleteRecursively(tmp);
      } catch (IOException ignored) {
        // The partial folder is hidden and ignored by readers; leaving it is harmless.
      }
      throw new UncheckedIOException("cannot write run " + record.id() + " to " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code record} over the existing record of the same id, atomically (the folder and anything else in
   * it, such as checkpoints, stay), or as a new run when there is none. For runs saved while they progress.
   */
  public Path replace(RunRecord record) {
    Path target = root.resolve(record.id());
    if (!Files.isDirectory(target)) {
      return write(record);
    }
    AtomicFiles.writeString(target.resolve(RECORD_FILE), JsonCodec.write(record));
    return target;
  }

  /** The folder of run {@code id} (which need not exist yet): where a run keeps its checkpoints and files. */
  public Path folder(String id) {
    if (id == null || !id.matches("[A-Za-z0-9._-]+") || id.startsWith(".")) {
      throw new IllegalArgumentException("run id '" + id + "'; allowed: letters, digits, '.', '_' and '-'");
    }
    return root.resolve(id);
  }

  /** Every readable run, oldest first. Hidden (partial) folders are ignored; an unreadable record is reported. */
  public List<RunRecord> list() {
    List<RunRecord> runs = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return runs;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path d : dirs) {
        if (d.getFileName().toString().startsWith(".") || !Files.isRegularFile(d.resolve(RECORD_FILE))) {
          continue;
        }
        runs.add(read(d.resolve(RECORD_FILE)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list runs in " + root + ": " + e.getMessage(), e);
    }
    runs.sort(Comparator.comparing((RunRecord r) -> r.provenance().start()).thenComparing(RunRecord::id));
    return runs;
  }

  /** The run with this id, or the only one whose id starts with it. */
  public RunRecord get(String idOrPrefix) {
    Path exact = root.resolve(idOrPrefix).resolve(RECORD_FILE);
    if (!idOrPrefix.startsWith(".") && !idOrPrefix.contains("/") && Files.isRegularFile(exact)) {
      return read(exact);
    }
    List<RunRecord> matches = list().stream().filter(r -> r.id().startsWith(idOrPrefix)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("no run '" + idOrPrefix + "' in " + root
          + "; allowed: an id or unique prefix from 'resbench runs'");
    }
    throw new IllegalArgumentException("run prefix '" + idOrPrefix + "' matches " + matches.size() + " runs ("
        + matches.stream().map(RunRecord::id).limit(5).toList() + "); allowed: a unique prefix");
  }

  /** The newest run, optionally of one experiment. */
  public Optional<RunRecord> latest(String experiment) {
    List<RunRecord> runs = list();
    for (int i = runs.size() - 1; i >= 0; i--) {
      if (experiment == null || runs.get(i).experiment().equals(experiment)) {
        return Optional.of(runs.get(i));
      }
    }
    return Optional.empty();
  }

  private static RunRecord read(Path file) {
    try {
      return JsonCodec.read(Files.readString(file, StandardCharsets.UTF_8), RunRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
