package org.resbench.harness.data.fetch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.resbench.harness.data.DataLocator;
import org.resbench.harness.data.DataLocator.Location;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.ProgressListener;
import org.resbench.harness.data.Verification;
import org.resbench.harness.data.Verification.FileCheck;
import org.resbench.harness.data.Verification.Report;
import org.resbench.harness.data.Verification.Verdict;
import org.resbench.harness.io.AtomicFiles;
import org.resbench.harness.io.FileTrees;

/**
 * Fetches a data set into {@code ROOT/NAME}, trying sources in order until one delivers a verified set.
 *
 * <p>Atomicity: each source works in a fresh hidden staging folder {@code ROOT/.NAME.partial-*} on the same
 * file system, which the locator never searches. Only after every file's SHA-256 and the example counts check
 * out is the staging folder renamed to {@code ROOT/NAME} in one atomic move (an existing folder is first moved
 * aside, then deleted). A failed, interrupted or killed fetch therefore never leaves files the locator would
 * accept; left-over staging folders are removed by the next fetch. A lock file {@code ROOT/.NAME.lock} keeps two
 * fetches of the same data set apart.
 *
 * <p>Files without a pinned checksum (CIFAR-10's batches) are accepted only from an archive whose pinned
 * checksum matched; their checksums are then written to {@value Verification#MANIFEST} beside them. Every
 * fetched folder gets that manifest (the {@code sha256sum -c} format) with the source in its first line.
 *
 * <p>Immutable; one fetch at a time per instance is the expected use.
 */
public final class DataFetcher {
  private final Path root;
  private final ProgressListener progress;

  /**
   * @param root the data root the data set goes under ({@code ~/.resbench/data} by default)
   */
  public DataFetcher(Path root, ProgressListener progress) {
    this.root = root.toAbsolutePath().normalize();
    this.progress = progress;
  }

  /** A source that failed, and why. */
  public record Attempt(String source, String failure) {}

  /**
   * A successful fetch.
   *
   * @param source where the files came from
   * @param report the verification of the installed files
   * @param failed the sources tried before, with their failures
   */
  public record Result(DatasetDescriptor dataset, Path dir, String source, Report report, List<Attempt> failed) {
    public Result {
      failed = List.copyOf(failed);
    }
  }

  /** Where {@code d} goes. */
  public Path target(DatasetDescriptor d) {
    return root.resolve(d.name());
  }

  /**
   * Tries {@code sources} in order.
   *
   * @param replace whether an existing {@code ROOT/NAME} folder may be replaced; without it an existing folder
   *     is an error (the caller checks first whether it already holds a good copy)
   * @throws FetchFailedException when no source delivered a verified set
   * @throws IllegalArgumentException when the target exists and {@code replace} is false
   * @throws UncheckedIOException when the data root cannot be written
   */
  public Result fetch(DatasetDescriptor d, List<FetchSource> sources, boolean replace) {
    Path target = target(d);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder " + root + ": " + Transfers.describe(e), e);
    }
    Path lockFile = root.resolve("." + d.name() + ".lock");
    boolean locked = false;
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = tryLock(ch)) {
      if (lock == null) {
        throw new IllegalStateException("another fetch of " + d.name() + " into " + root + " is running (it holds "
            + lockFile + ")");
      }
      locked = true;
      if (Files.exists(target) && !replace) {
        throw new IllegalArgumentException(target
            + " already exists; move it away or fetch with --force to replace it");
      }
      removeLeftovers(d);
      List<Attempt> failed = new ArrayList<>();
      for (FetchSource s : sources) {
        progress.note("trying " + s.describe());
        Path staging = Files.createTempDirectory(root, "." + d.name() + ".partial-");
        readableByAll(staging);
        try {
          FetchSource.Obtained got = s.obtain(d, staging, progress);
          Report report = accept(d, staging, got);
          writeManifest(staging, report, got);
          install(staging, target);
          Report installed = Verification.check(DataLocator.in(target, d, "fetched").orElseThrow(),
              ProgressListener.SILENT);
          return new Result(d, target, got.provenance(), installed, failed);
        } catch (IOException | RuntimeException e) {
          String why = Transfers.describe(e);
          failed.add(new Attempt(s.describe(), why));
          progress.note("  " + (e instanceof FetchSource.Unavailable ? "unavailable: " : "failed: ") + why);
        } finally {
          FileTrees.deleteQuietly(staging);
        }
      }
      throw new FetchFailedException(d, failed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch into " + root + ": " + Transfers.describe(e), e);
    } finally {
      if (locked) {
        try {
          Files.deleteIfExists(lockFile);
        } catch (IOException ignored) {
          // a left-over empty lock file is harmless
        }
      }
    }
  }

  /** The lock, or null when another process (or another fetch in this JVM) holds it. */
  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /** Temporary folders are private (rwx------); a data set folder is as readable as any other (rwxr-xr-x). */
  private static void readableByAll(Path dir) {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException | IOException ignored) {
      // not a POSIX file system: its defaults apply
    }
  }

  /** Checks the staged files; throws with the reason when they cannot be accepted. */
  private static Report accept(DatasetDescriptor d, Path staging, FetchSource.Obtained got) throws IOException {
    Optional<Location> loc = DataLocator.in(staging, d, "staging");
    if (loc.isEmpty()) {
      List<String> missing = new ArrayList<>();
      for (DatasetDescriptor.FileSpec f : d.files()) {
        if (Transfers.find(staging, d, f).isEmpty()) {
          missing.add(f.name());
        }
      }
      throw new IOException("the source delivered an incomplete set: missing " + String.join(", ", missing));
    }
    Report r = Verification.check(loc.get(), ProgressListener.SILENT);
    if (r.verdict() == Verdict.MISMATCH) {
      throw new IOException("rejected: " + r.summary());
    }
    for (FileCheck c : r.files()) {
      if (c.verdict() == Verdict.UNVERIFIED && got.archiveSha256() == null) {
        throw new IOException("rejected: no checksum is pinned for " + c.file() + " and it did not come from the"
            + " official archive" + (d.archive() == null ? "" : " (" + d.archive().fileName() + ", sha256 "
            + d.archive().sha256() + ")") + ", so it cannot be verified");
      }
    }
    return r;
  }

  private static void writeManifest(Path staging, Report r, FetchSource.Obtained got) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# fetched by resbench from ").append(got.provenance()).append(" at ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
    if (got.archiveSha256() != null) {
      sb.append("# unpacked from the official archive, sha256 ").append(got.archiveSha256()).append(" (verified)\n");
    }
    for (FileCheck c : r.files()) {
      sb.append(c.sha256()).append("  ").append(c.path().getFileName()).append('\n');
    }
    AtomicFiles.writeString(staging.resolve(Verification.MANIFEST), sb.toString());
  }

  /** Renames {@code staging} to {@code target} atomically, replacing an existing folder. */
  private void install(Path staging, Path target) throws IOException {
    if (!Files.exists(target)) {
      move(staging, target);
      return;
    }
    Path old = Files.createTempDirectory(root, "." + target.getFileName() + ".old-");
    Files.delete(old);
    move(target, old);
    try {
      move(staging, target);
    } catch (IOException e) {
      move(old, target);
      throw e;
    }
    FileTrees.deleteQuietly(old);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " to " + to + " atomically (" + e.getMessage() + ")", e);
    }
  }

  private void removeLeftovers(DatasetDescriptor d) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root, "." + d.name() + ".{partial,old}-*")) {
      for (Path p : s) {
        FileTrees.deleteQuietly(p);
      }
    }
  }

  /** Whether {@code p} is a staging or left-over folder of a fetch (for tests and tools). */
  public static boolean isStaging(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith(".") && (n.contains(".partial-") || n.contains(".old-"));
  }
}
