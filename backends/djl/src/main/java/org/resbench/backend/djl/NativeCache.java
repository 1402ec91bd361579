package org.resbench.backend.djl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.resbench.harness.data.DataFile;
import org.resbench.harness.io.AtomicFiles;
import org.resbench.harness.io.FileTrees;
import org.resbench.harness.io.IoMessages;

/**
 * A folder of native libraries unpacked from jars, checked before anything loads them: a truncated or overwritten
 * library mapped into the JVM crashes it (SIGBUS) or fails with "invalid ELF header", so each library's size and
 * SHA-256 are recorded in a manifest ({@value #MANIFEST}) when resbench extracts them, and compared before every
 * load. A library whose size differs is damaged; one whose modification time differs is hashed again (so the
 * usual start costs a few file-status calls, not hashing 432 MB). A damaged, incomplete or unrecorded folder is
 * extracted again (into a hidden temporary folder, verified, then renamed into place); when that is impossible
 * the failure names the folder to delete. Temporary folders an interrupted extraction left behind (DJL's
 * {@code tmp*}, ours {@code .resbench-extract-*}) are deleted. One process at a time prepares a cache root (a file
 * lock), so concurrent JVMs never see a half-made folder. Stateless.
 */
final class NativeCache {
  private NativeCache() {}

  /** The manifest's name inside a prepared folder: one {@code SHA256 SIZE MTIME-MILLIS NAME} line per library. */
  static final String MANIFEST = ".resbench-natives";
  /** DJL's own extraction folders are left alone this long (another JVM may be filling one). */
  static final Duration DJL_TEMP_GRACE = Duration.ofMinutes(2);
  private static final String NO_MANIFEST = "no record of what was extracted";
  private static final String EXTRACT_PREFIX = ".resbench-extract-";
  private static final String STALE_PREFIX = ".resbench-stale-";

  /** Opens a library's content. */
  @FunctionalInterface
  interface Source {
    InputStream open() throws IOException;
  }

  /**
   * One library to have in the folder.
   *
   * @param name its file name in the folder
   * @param size its size in bytes, from the jar's directory (-1 when unknown)
   * @param source its content
   */
  record Library(String name, long size, Source source) {}

  /** What {@link #prepare} did: {@code verified}, {@code extracted} or {@code repaired}, and removed leftovers. */
  record Outcome(String action, String detail, List<Path> removed) {}

  /** A recorded library: its checksum, size and modification time when last verified. */
  private record Entry(String sha256, long size, long mtime) {}

  /**
   * Makes {@code root/dirName} hold exactly {@code libraries}, verified.
   *
   * @throws IllegalStateException naming the folder to delete when the folder is damaged and cannot be repaired
   */
  static Outcome prepare(Path root, String dirName, List<Library> libraries) {
    Path dir = root.resolve(dirName);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new IllegalStateException(IoMessages.cannot("create the native library cache", root, e), e);
    }
    try (FileChannel ch = FileChannel.open(root.resolve(".resbench.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
      List<Path> removed = removeLeftovers(root, dir);
      String damage = check(dir, libraries);
      if (damage == null) {
        return new Outcome("verified", dir.toString(), removed);
      }
      if (damage.startsWith(NO_MANIFEST) && adopt(dir, libraries)) {
        return new Outcome("verified", dir + " (extracted by DJL; now recorded)", removed);
      }
      boolean existed = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
      try {
        extract(root, dir, libraries);
      } catch (IOException | RuntimeException e) {
        String why = e instanceof IOException io ? IoMessages.reason(io) : e.getMessage();
        throw new IllegalStateException("the native library cache " + dir + " is " + (existed ? "damaged (" + damage
            + ")" : "missing") + " and could not be " + (existed ? "repaired" : "filled") + ": " + why + "; delete the"
            + " folder " + dir + " (or choose another cache folder) and run again", e);
      }
      return new Outcome(existed ? "repaired" : "extracted", existed ? damage : dir.toString(), removed);
    } catch (IOException e) {
      throw new IllegalStateException(IoMessages.cannot("lock the native library cache", root, e)
          + "; delete the folder " + dir + " if it is damaged", e);
    }
  }

  /**
   * Why {@code dir} does not hold {@code libraries} as recorded, or null when it does. Hashes a library again only
   * when its modification time changed since it was recorded (and then records the new time).
   */
  static String check(Path dir, List<Library> libraries) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return Files.exists(dir, LinkOption.NOFOLLOW_LINKS) ? "not a folder" : "absent";
    }
    Map<String, Entry> manifest = readManifest(dir.resolve(MANIFEST));
    if (manifest == null) {
      return NO_MANIFEST + " (" + MANIFEST + " is missing or unreadable)";
    }
    boolean rehashed = false;
    for (Library lib : libraries) {
      Path f = dir.resolve(lib.name());
      Entry e = manifest.get(lib.name());
      if (e == null) {
        return lib.name() + " is not recorded";
      }
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException x) {
        return lib.name() + " is missing";
      }
      if (!a.isRegularFile()) {
        return lib.name() + " is not a regular file";
      }
      if (a.size() != e.size() || (lib.size() >= 0 && a.size() != lib.size())) {
        return String.format(Locale.ROOT, "%s is %,d bytes, expected %,d (truncated or replaced)", lib.name(),
            a.size(), lib.size() >= 0 ? lib.size() : e.size());
      }
      long mtime = a.lastModifiedTime().toMillis();
      if (mtime != e.mtime()) {
        String sha = sha256(f);
        if (!sha.equals(e.sha256())) {
          return lib.name() + " has changed since it was extracted (sha256 " + sha.substring(0, 12) + "..., recorded "
              + e.sha256().substring(0, 12) + "...)";
        }
        manifest.put(lib.name(), new Entry(sha, a.size(), mtime));
        rehashed = true;
      }
    }
    if (rehashed) {
      writeManifest(dir, manifest);
    }
    return null;
  }

  /**
   * Records a folder that DJL (or an older resbench) extracted, after checking that every library has the
   * jar's size and content: it is then used as it is, not extracted again.
   */
  private static boolean adopt(Path dir, List<Library> libraries) throws IOException {
    Map<String, Entry> manifest = new LinkedHashMap<>();
    for (Library lib : libraries) {
      Path f = dir.resolve(lib.name());
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || lib.size() < 0 || Files.size(f) != lib.size()) {
        return false;
      }
      MessageDigest md = DataFile.digest();
      try (InputStream in = new DigestInputStream(lib.source().open(), md)) {
        in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        return false;
      }
      String expected = HexFormat.of().formatHex(md.digest());
      if (!expected.equals(sha256(f))) {
        return false;
      }
      manifest.put(lib.name(), new Entry(expected, lib.size(), Files.getLastModifiedTime(f).toMillis()));
    }
    writeManifest(dir, manifest);
    return true;
  }

  /** Extracts every library into a hidden folder beside {@code dir}, verifies it, and swaps it into place. */
  private static void extract(Path root, Path dir, List<Library> libraries) throws IOException {
    Path tmp = root.resolve(EXTRACT_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.createDirectory(tmp);
      Map<String, Entry> manifest = new LinkedHashMap<>();
      for (Library lib : libraries) {
        Path f = tmp.resolve(lib.name());
        MessageDigest md = DataFile.digest();
        long n;
        try (InputStream in = new DigestInputStream(lib.source().open(), md);
            OutputStream out = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW)) {
          n = in.transferTo(out);
        }
        if (lib.size() >= 0 && n != lib.size()) {
          throw new IOException(String.format(Locale.ROOT, "%s: read %,d bytes from its jar, expected %,d", lib.name(),
              n, lib.size()));
        }
        manifest.put(lib.name(), new Entry(HexFormat.of().formatHex(md.digest()), n,
            Files.getLastModifiedTime(f).toMillis()));
      }
      writeManifest(tmp, manifest);
      Path stale = null;
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        stale = root.resolve(STALE_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.move(dir, stale, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir);
      }
      tmp = null;
      if (stale != null) {
        FileTrees.deleteRecursively(stale); // a JVM that mapped the old files keeps them until it exits
      }
    } finally {
      if (tmp != null) {
        FileTrees.deleteRecursively(tmp);
      }
    }
  }

  /**
   * Deletes what interrupted extractions left in {@code root}: our temporary and stale folders (we hold the lock,
   * so none is in use), and DJL's {@code tmp*} folders and {@code jni*tmp} files once they are older than
   * {@link #DJL_TEMP_GRACE} (DJL does not take our lock).
   */
  static List<Path> removeLeftovers(Path root, Path dir) {
    List<Path> removed = new ArrayList<>();
    Instant cutoff = Instant.now().minus(DJL_TEMP_GRACE);
    for (Path folder : List.of(root, dir)) {
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
        for (Path p : ds) {
          String n = p.getFileName().toString();
          boolean ours = folder.equals(root) && (n.startsWith(EXTRACT_PREFIX) || n.startsWith(STALE_PREFIX));
          boolean djlDir = folder.equals(root) && n.matches("tmp\\d+")
              && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
          boolean djlJni = folder.equals(dir) && n.startsWith("jni") && n.endsWith("tmp");
          if (ours || ((djlDir || djlJni) && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant()
              .isBefore(cutoff))) {
            FileTrees.deleteRecursively(p);
            removed.add(p);
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // cleaning up is a courtesy; the verification decides whether the cache can be used
      }
    }
    return removed;
  }

  private static Map<String, Entry> readManifest(Path file) {
    try {
      Map<String, Entry> m = new LinkedHashMap<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(" ", 4);
        if (f.length != 4) {
          return null;
        }
        m.put(f[3], new Entry(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
      }
      return m;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void writeManifest(Path dir, Map<String, Entry> m) {
    StringBuilder sb = new StringBuilder("# native libraries as resbench extracted them: sha256 size mtime-millis"
        + " name\n");
    m.forEach((name, e) -> sb.append(e.sha256()).append(' ').append(e.size()).append(' ').append(e.mtime())
        .append(' ').append(name).append('\n'));
    AtomicFiles.writeString(dir.resolve(MANIFEST), sb.toString());
  }

  static String sha256(Path f) throws IOException {
    MessageDigest md = DataFile.digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
