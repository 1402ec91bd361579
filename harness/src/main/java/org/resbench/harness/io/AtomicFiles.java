package org.resbench.harness.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one writer of every output file (reports, exports, run records, manifests). What happens depends on what
 * is at the target path, and nothing but a regular file is ever replaced:
 *
 * <ul>
 *   <li>nothing, or a <b>regular file</b>: the bytes go to a hidden temporary file beside it
 *       ({@code .NAME.RANDOM.partial}), which is then renamed over it, so readers see the old file or the whole
 *       new one, never a part. A replaced file keeps its permissions; a new one gets the process's default
 *       permissions (its umask), unlike {@link Files#createTempFile}, which makes files owner-only. Temporaries
 *       that a killed writer left beside the target are deleted by the next write of that target once they are
 *       ten minutes old.
 *   <li>a <b>character device</b> ({@code /dev/null}, a terminal) or a <b>FIFO</b>: the bytes are written into it,
 *       as a shell's {@code >} would (a FIFO blocks until a reader opens it); the node is kept.
 *   <li>a <b>symbolic link</b>: followed, link by link, and the rules apply to what it points to; the link itself
 *       is never replaced (a dangling link gets its target created). A loop is refused. Paths through
 *       {@code /proc} ({@code /proc/self/fd/N}) are written into in place, since they name a file descriptor
 *       rather than a place in a folder; this process's standard output ({@code /dev/stdout}) is written through
 *       {@link System#out}, so the bytes keep their order with what else the process prints.
 *   <li>a folder, a block device or a socket: refused with an {@link IllegalArgumentException} that says what is
 *       there and what is allowed; nothing is written. A file where a parent folder should be is an I/O failure,
 *       as an unwritable folder is.
 * </ul>
 *
 * I/O failures are {@link UncheckedIOException}s whose message names the path and the reason in plain words.
 * Stateless and thread-safe; concurrent writers of one target leave one of their files.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** How long a temporary file may sit beside its target before a later write deletes it as abandoned. */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

  private static final int MAX_LINKS = 40;
  private static final String PARTIAL = ".partial";

  /** What is at an output path, after following symbolic links. */
  public enum TargetKind {
    /** Nothing yet: a new regular file is created. */
    ABSENT,
    /** A regular file: replaced atomically. */
    REGULAR_FILE,
    /** A character device such as {@code /dev/null}: written into. */
    CHARACTER_DEVICE,
    /** A named pipe: written into. */
    FIFO,
    /** A file behind {@code /proc} ({@code /proc/self/fd/3} redirected to a file): written into in place. */
    DESCRIPTOR,
    /**
     * This process's standard output ({@code /dev/stdout}, {@code /dev/fd/1}, {@code /proc/self/fd/1}): written
     * through {@link System#out}, so that it shares the stream's position with everything else printed there.
     */
    STANDARD_OUTPUT
  }

  /**
   * Where an output will go: the path after following links, and what is there.
   *
   * @param path the path to write (links followed)
   * @param kind what is there
   */
  public record Target(Path path, TargetKind kind) {
    /** Whether the bytes are written into an existing node instead of replacing a file. */
    public boolean inPlace() {
      return kind != TargetKind.ABSENT && kind != TargetKind.REGULAR_FILE;
    }
  }

  /**
   * Checks, without writing anything, that {@code target} can take an output, so a command can refuse a bad
   * {@code --out} before it works for an hour. A missing parent folder is fine (it is created on write) unless
   * something that is not a folder stands in its way.
   *
   * @param what how the user named the path, for messages (e.g. {@code --out})
   * @throws IllegalArgumentException when the path is a folder, a block device, a socket or a link loop
   * @throws UncheckedIOException when a file stands where a parent folder should be
   */
  public static Target checkTarget(Path target, String what) {
    String label = what == null || what.isBlank() ? "" : what + " ";
    if (isStandardOutput(target)) {
      return new Target(target, TargetKind.STANDARD_OUTPUT);
    }
    Path p = target.toAbsolutePath();
    boolean viaProc = p.startsWith("/proc");
    try {
      for (int hops = 0; Files.isSymbolicLink(p) && !viaProc; hops++) {
        if (hops == MAX_LINKS) {
          throw new IllegalArgumentException(label + target + ": a loop of symbolic links (more than " + MAX_LINKS
              + "); allowed: a link that ends at a file, a new file's path, /dev/null or a FIFO");
        }
        Path link = Files.readSymbolicLink(p);
        p = p.resolveSibling(link);
        viaProc = p.toAbsolutePath().normalize().startsWith("/proc");
      }
      if (!viaProc) {
        p = p.normalize();
      }
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        requireParentFolder(target, label, p);
        return new Target(p, TargetKind.ABSENT);
      } catch (FileSystemException e) {
        requireParentFolder(target, label, p); // ENOTDIR: a file stands where a parent folder should be
        throw e;
      }
      if (a.isDirectory()) {
        throw new IllegalArgumentException(label + target + " is a folder; allowed: a file path, e.g. "
            + target.resolve("out.html") + " (written atomically), /dev/null or a FIFO");
      }
      if (a.isRegularFile()) {
        return new Target(p, viaProc ? TargetKind.DESCRIPTOR : TargetKind.REGULAR_FILE);
      }
      String type = nodeType(p);
      switch (type) {
        case "character device":
          return new Target(p, TargetKind.CHARACTER_DEVICE);
        case "FIFO":
          return new Target(p, TargetKind.FIFO);
        default:
          throw new IllegalArgumentException(label + target + " is a " + type + "; allowed: a regular file"
              + " (replaced atomically), a new file, a character device such as /dev/null, or a FIFO (written into)");
      }
    } catch (IOException e) {
      throw IoMessages.unchecked("write", target, e);
    }
  }

  /**
   * Whether {@code p} names this process's standard output: a separate open of it would write at its own offset
   * and be overwritten by what the process prints afterwards when the output is a file.
   */
  public static boolean isStandardOutput(Path p) {
    String s = p.toAbsolutePath().normalize().toString();
    return s.equals("/dev/stdout") || s.equals("/dev/fd/1") || s.equals("/proc/self/fd/1")
        || s.equals("/proc/" + ProcessHandle.current().pid() + "/fd/1");
  }

  private static void requireParentFolder(Path target, String label, Path p) {
    for (Path parent = p.getParent(); parent != null; parent = parent.getParent()) {
      if (Files.exists(parent)) {
        if (!Files.isDirectory(parent)) {
          // An unwritable place, like a read-only folder: an I/O failure (exit 4), not a malformed path.
          throw new UncheckedIOException("cannot write " + target + ": " + parent + " is a file, not a folder",
              new java.nio.file.NotDirectoryException(parent.toString()));
        }
        return;
      }
    }
  }

  /** The file type from the stat mode: character device, FIFO, block device, socket, or "special file". */
  private static String nodeType(Path p) {
    try {
      int mode = (Integer) Files.getAttribute(p, "unix:mode");
      switch (mode & 0170000) {
        case 0020000:
          return "character device";
        case 0010000:
          return "FIFO";
        case 0060000:
          return "block device";
        case 0140000:
          return "socket";
        default:
          return "special file";
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "special file";
    }
  }

  /**
   * Writes {@code bytes} to {@code target} by the rules in the class comment, creating parent folders; returns
   * the path written (links followed, absolute).
   */
  public static Path write(Path target, byte[] bytes) {
    Target t = checkTarget(target, null);
    if (t.inPlace()) {
      return writeInto(t, bytes);
    }
    Path abs = t.path();
    Path tmp = null;
    try {
      Files.createDirectories(abs.getParent());
      deleteAbandoned(abs);
      tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + PARTIAL);
      Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      if (t.kind() == TargetKind.REGULAR_FILE) {
        keepPermissions(abs, tmp);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      return abs;
    } catch (FileAlreadyExistsException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getFile() + " is in the way", e);
    } catch (IOException e) {
      throw IoMessages.unchecked("write", target, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write's own failure is the one to report
        }
      }
    }
  }

  /** Writes {@code text} as UTF-8 to {@code target} by the rules of {@link #write}. */
  public static Path writeString(Path target, String text) {
    return write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  private static Path writeInto(Target t, byte[] bytes) {
    if (t.kind() == TargetKind.STANDARD_OUTPUT) {
      System.out.write(bytes, 0, bytes.length);
      System.out.flush();
      if (System.out.checkError()) {
        throw new UncheckedIOException("cannot write into the standard output: it was closed (broken pipe?)",
            new IOException("standard output closed"));
      }
      return t.path();
    }
    // No CREATE and no TRUNCATE for devices and FIFOs: the node must stay what it is. A descriptor's file is
    // truncated, as the shell's '>' did when it opened it.
    StandardOpenOption[] opts = t.kind() == TargetKind.DESCRIPTOR
        ? new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING}
        : new StandardOpenOption[] {StandardOpenOption.WRITE};
    try (OutputStream out = Files.newOutputStream(t.path(), opts)) {
      out.write(bytes);
      return t.path();
    } catch (IOException e) {
      throw IoMessages.unchecked("write into", t.path(), e);
    }
  }

  private static void keepPermissions(Path from, Path to) {
    try {
      PosixFileAttributeView v = Files.getFileAttributeView(from, PosixFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS);
      if (v != null) {
        Files.setPosixFilePermissions(to, v.readAttributes().permissions());
      }
    } catch (IOException | UnsupportedOperationException e) {
      // the new file keeps the default permissions; the content is what matters
    }
  }

  /** Deletes temporaries a killed writer of {@code target} left beside it, once they are old enough. */
  private static void deleteAbandoned(Path target) {
    String prefix = "." + target.getFileName() + ".";
    Instant cutoff = Instant.now().minus(ABANDONED_AFTER);
    DirectoryStream.Filter<Path> mine = p -> {
      String n = p.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(PARTIAL) && n.length() > prefix.length() + PARTIAL.length();
    };
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(target.getParent(), mine)) {
      for (Path p : ds) {
        FileTime m = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        if (m.toInstant().isBefore(cutoff) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | SecurityException e) {
      // cleaning up is a courtesy; the write itself decides success
    }
  }
}
