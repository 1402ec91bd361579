package org.resbench.results;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.resbench.harness.io.AtomicFiles;
import org.resbench.harness.io.FileTrees;
import org.resbench.harness.io.IoMessages;
import org.resbench.harness.io.UserDirs;

/**
 * Run records on disk: {@code ROOT/ID/run.json}. A run folder is written under a hidden temporary name
 * ({@code .ID.partial}) and renamed into place, so a reader never sees a half-written run; a temporary folder a
 * killed run left behind is deleted by the next write once it is ten minutes old (until then {@link #scan} lists
 * it as abandoned).
 *
 * <p>One damaged record never takes the store down: {@link #scan} and {@link #list} skip a record that cannot be
 * read (truncated, not JSON, not a run record, a {@code run.json} that is a symbolic link or not a regular file,
 * unreadable, too large) and {@link #scan} reports it with its id, path and reason, never its content. Only
 * {@link #get naming} a damaged record fails. Instances are immutable and thread-safe; concurrent writers of
 * distinct ids do not interfere.
 */
public final class ResultsStore {
  /** The file name of a run record inside its folder. */
  public static final String RECORD_FILE = "run.json";
  /** How old a hidden {@code .ID.partial} folder must be before a write deletes it as abandoned. */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);
  private static final String PARTIAL = ".partial";
  /** The ids resbench gives runs: {@code yyyyMMdd-HHmmss-EXPERIMENT-xxxx}. */
  private static final Pattern GENERATED_ID = Pattern.compile("\\d{8}-\\d{6}-.+");
  private final Path root;

  public ResultsStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** A run folder whose record cannot be read: its id (the folder's name), the path, and why, in words. */
  public record Damaged(String id, Path path, String reason) {
    /** {@code ID (PATH): REASON}. */
    public String describe() {
      return id + " (" + path + "): " + reason;
    }
  }

  /**
   * What is in the store.
   *
   * @param runs every readable run, oldest first
   * @param damaged run folders whose record cannot be read, by id
   * @param abandoned hidden temporary folders of runs that were killed while writing (older than ten minutes)
   */
  public record Listing(List<RunRecord> runs, List<Damaged> damaged, List<Path> abandoned) {
    public Listing {
      runs = List.copyOf(runs);
      damaged = List.copyOf(damaged);
      abandoned = List.copyOf(abandoned);
    }
  }

  /** {@code $RESBENCH_RESULTS}, else {@code ~/.resbench/results} ({@code ~} is {@code $HOME}). */
  public static Path defaultRoot() {
    String env = System.getenv("RESBENCH_RESULTS");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return UserDirs.resbenchHome().resolve("results");
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
      String reason = e instanceof IOException io ? IoMessages.reason(io) : "not allowed";
      if (Files.exists(root) && !Files.isDirectory(root)) {
        reason = "it is a file, not a folder";
      } else {
        for (Path p = root.getParent(); p != null; p = p.getParent()) {
          if (Files.exists(p)) {
            if (!Files.isDirectory(p)) {
              reason = p + " is a file, not a folder";
            }
            break;
          }
        }
      }
      throw new UncheckedIOException("results folder " + root + " is not writable (" + reason
          + "); choose another with --results DIR or RESBENCH_RESULTS",
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  /** Writes {@code record} atomically and returns its folder. Refuses to overwrite an existing run. */
  public Path write(RunRecord record) {
    requireWritable();
    deleteAbandoned();
    Path target = root.resolve(record.id());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("run '" + record.id() + "' already exists in " + root
          + "; allowed: a new run id");
    }
    Path tmp = root.resolve("." + record.id() + PARTIAL);
    try {
      FileTrees.deleteRecursively(tmp);
      Files.createDirectories(tmp);
      AtomicFiles.writeString(tmp.resolve(RECORD_FILE), JsonCodec.write(record));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
      return target;
    } catch (IOException | UncheckedIOException e) {
      try {
        FileTrees.deleteRecursively(tmp);
      } catch (IOException ignored) {
        // The partial folder is hidden and ignored by readers; the next write deletes it.
      }
      String reason = e instanceof IOException io ? IoMessages.reason(io) : e.getMessage();
      throw new UncheckedIOException("cannot write run " + record.id() + " to " + root + ": " + reason,
          e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
    }
  }

  /**
   * Writes {@code record} over the existing record of the same id, atomically (the folder and anything else in
   * it, such as checkpoints, stay), or as a new run when there is none. For runs saved while they progress.
   */
  public Path replace(RunRecord record) {
    Path target = root.resolve(record.id());
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
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

  /** Every readable run, oldest first; damaged records are skipped ({@link #scan} lists them). */
  public List<RunRecord> list() {
    return scan().runs();
  }

  /**
   * Reads every run folder: the readable runs, oldest first; the damaged ones with the reason; the abandoned
   * temporary folders. A missing root is an empty store.
   *
   * @throws IllegalArgumentException when the root is not a folder
   * @throws UncheckedIOException when the root cannot be listed
   */
  public Listing scan() {
    List<RunRecord> runs = new ArrayList<>();
    List<Damaged> damaged = new ArrayList<>();
    List<Path> abandoned = new ArrayList<>();
    if (!Files.exists(root)) {
      return new Listing(runs, damaged, abandoned);
    }
    requireFolder();
    Instant cutoff = Instant.now().minus(ABANDONED_AFTER);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path d : dirs) {
        String name = d.getFileName().toString();
        if (name.startsWith(".")) {
          if (name.endsWith(PARTIAL) && isOlder(d, cutoff)) {
            abandoned.add(d);
          }
          continue;
        }
        if (!Files.isDirectory(d)) {
          continue;
        }
        Path file = d.resolve(RECORD_FILE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !GENERATED_ID.matcher(name).matches()) {
          continue; // not a run folder (a user's own folder beside the runs)
        }
        try {
          runs.add(read(name, file));
        } catch (IllegalArgumentException | UncheckedIOException e) {
          damaged.add(new Damaged(name, file, reasonOf(e, name, file)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list runs in " + root + ": " + IoMessages.reason(e), e);
    }
    runs.sort(Comparator.comparing((RunRecord r) -> r.provenance().start()).thenComparing(RunRecord::id));
    damaged.sort(Comparator.comparing(Damaged::id));
    abandoned.sort(Comparator.naturalOrder());
    return new Listing(runs, damaged, abandoned);
  }

  /**
   * The run with this id, or the only one whose id starts with it. A damaged record named this way fails with
   * the reason: an {@link IllegalArgumentException} (exit 2) when its content is malformed, an
   * {@link UncheckedIOException} (exit 4) when it cannot be read.
   */
  public RunRecord get(String idOrPrefix) {
    if (idOrPrefix == null || idOrPrefix.isEmpty() || idOrPrefix.startsWith(".") || idOrPrefix.contains("/")
        || idOrPrefix.contains("\\")) {
      throw new IllegalArgumentException("run id '" + idOrPrefix + "'; allowed: an id or unique prefix from"
          + " 'resbench runs'");
    }
    if (Files.exists(root)) {
      requireFolder();
    }
    Path exact = root.resolve(idOrPrefix);
    if (Files.isDirectory(exact)) {
      return read(idOrPrefix, exact.resolve(RECORD_FILE));
    }
    Listing all = scan();
    List<String> ids = new ArrayList<>();
    all.runs().stream().map(RunRecord::id).filter(id -> id.startsWith(idOrPrefix)).forEach(ids::add);
    all.damaged().stream().map(Damaged::id).filter(id -> id.startsWith(idOrPrefix)).forEach(ids::add);
    if (ids.size() == 1) {
      String id = ids.get(0);
      Optional<RunRecord> ok = all.runs().stream().filter(r -> r.id().equals(id)).findFirst();
      return ok.isPresent() ? ok.get() : read(id, root.resolve(id).resolve(RECORD_FILE));
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no run '" + idOrPrefix + "' in " + root
          + "; allowed: an id or unique prefix from 'resbench runs'");
    }
    throw new IllegalArgumentException("run prefix '" + idOrPrefix + "' matches " + ids.size() + " runs ("
        + ids.stream().sorted().limit(5).collect(Collectors.joining(", ")) + "); allowed: a unique prefix");
  }

  /** The newest readable run, optionally of one experiment. */
  public Optional<RunRecord> latest(String experiment) {
    List<RunRecord> runs = list();
    for (int i = runs.size() - 1; i >= 0; i--) {
      if (experiment == null || runs.get(i).experiment().equals(experiment)) {
        return Optional.of(runs.get(i));
      }
    }
    return Optional.empty();
  }

  private void requireFolder() {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("results folder " + root + " is "
          + (Files.isRegularFile(root) ? "a file" : "not a folder") + "; allowed: a folder of runs (--results DIR or"
          + " RESBENCH_RESULTS)");
    }
  }

  /** The largest record this JVM reads: a quarter of the heap, at most 512 MiB. */
  static long maxRecordBytes() {
    return Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4);
  }

  /**
   * Reads one record. Its content is never echoed in a failure: a symbolic link or special file is refused
   * before it is opened, and a parse failure names the line and column only.
   */
  private static RunRecord read(String id, Path file) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("run " + id + " has no " + RECORD_FILE + " (" + file + "); its folder is"
          + " incomplete");
    } catch (IOException e) {
      throw new UncheckedIOException("run " + id + ": " + IoMessages.cannot("read", file, e), e);
    }
    if (a.isSymbolicLink()) {
      throw new IllegalArgumentException("run " + id + ": " + file + " is a symbolic link; allowed: a regular file"
          + " (records are never read through links)");
    }
    if (!a.isRegularFile()) {
      throw new IllegalArgumentException("run " + id + ": " + file + " is " + (a.isDirectory() ? "a folder"
          : "not a regular file") + "; allowed: a regular file");
    }
    if (a.size() > maxRecordBytes()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "run %s: %s is %,d bytes; allowed: at most"
          + " %,d bytes (a quarter of this JVM's heap, at most 512 MiB)", id, file, a.size(), maxRecordBytes()));
    }
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IllegalArgumentException("run " + id + ": " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException("run " + id + ": " + IoMessages.cannot("read", file, e), e);
    }
    RunRecord r;
    try {
      r = JsonCodec.mapper().readValue(json, RunRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("run " + id + ": " + file + " " + describe(e, json), e);
    }
    if (r == null) {
      throw new IllegalArgumentException("run " + id + ": " + file + " is empty (null)");
    }
    String missing = r.experiment() == null ? "experiment" : r.status() == null ? "status"
        : r.provenance() == null ? "provenance" : r.provenance().start() == null ? "provenance.start" : null;
    if (missing != null) {
      throw new IllegalArgumentException("run " + id + ": " + file + " lacks the field '" + missing
          + "'; allowed: a run record written by resbench");
    }
    return r;
  }

  /** A parse failure in words, with its place but without the offending text. */
  private static String describe(JsonProcessingException e, String json) {
    JsonLocation loc = e.getLocation();
    String at = loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr() + ", column "
        + loc.getColumnNr();
    boolean eof = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      eof |= t instanceof JsonEOFException;
    }
    String trimmed = json.strip();
    if (eof || trimmed.isEmpty() || (trimmed.startsWith("{") && !trimmed.endsWith("}"))) {
      return "ends early (truncated or empty)" + at + "; allowed: a whole run record";
    }
    if (e instanceof ValueInstantiationException v && v.getCause() instanceof IllegalArgumentException iae) {
      return "holds an invalid value" + at + ": " + iae.getMessage();
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex()
          + "]").collect(Collectors.joining(".")).replace(".[", "[");
      return "has a wrong value for '" + field + "'" + at + "; allowed: a run record written by resbench";
    }
    if (e instanceof JsonMappingException) {
      return "is not a run record" + at + "; allowed: a run record written by resbench";
    }
    return "is not valid JSON" + at + " (truncated or damaged)";
  }

  /** The reason alone: the message without its "run ID: PATH" prefix, which {@link Damaged} carries. */
  private static String reasonOf(RuntimeException e, String id, Path file) {
    String m = e.getMessage();
    if (m == null) {
      return "unreadable";
    }
    for (String prefix : new String[] {"run " + id + ": " + file + " ", "run " + id + ": "}) {
      if (m.startsWith(prefix)) {
        return m.substring(prefix.length());
      }
    }
    return m;
  }

  private static boolean isOlder(Path p, Instant cutoff) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff);
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes the temporary folders of runs killed while writing, once they are old enough to be abandoned. */
  private void deleteAbandoned() {
    Instant cutoff = Instant.now().minus(ABANDONED_AFTER);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, p -> {
      String n = p.getFileName().toString();
      return n.startsWith(".") && (n.endsWith(PARTIAL) || (n.startsWith(".probe") && n.endsWith(".tmp")));
    })) {
      for (Path p : ds) {
        if (isOlder(p, cutoff)) {
          FileTrees.deleteRecursively(p);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // cleaning up is a courtesy; 'resbench runs' lists what is left
    }
  }
}
