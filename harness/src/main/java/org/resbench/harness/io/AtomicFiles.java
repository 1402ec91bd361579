package org.resbench.harness.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see the old file or the whole new one, never a part: the bytes go to a hidden
 * temporary file beside the target, which is then renamed over it. The temporary file is created with the
 * process's default permissions (its umask), unlike {@link Files#createTempFile}, which makes files readable
 * by their owner only. Stateless and thread-safe; concurrent writers of one target leave one of their files.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code target} atomically, creating parent folders; returns the absolute target. */
  public static Path write(Path target, byte[] bytes) {
    Path abs = target.toAbsolutePath().normalize();
    Path tmp = null;
    try {
      Files.createDirectories(abs.getParent());
      tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + ".partial");
      Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      return abs;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + abs + ": " + e.getClass().getSimpleName() + ": "
          + e.getMessage(), e);
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

  /** Writes {@code text} as UTF-8 to {@code target} atomically. */
  public static Path writeString(Path target, String text) {
    return write(target, text.getBytes(StandardCharsets.UTF_8));
  }
}
