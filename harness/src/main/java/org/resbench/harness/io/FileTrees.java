package org.resbench.harness.io;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deleting folder trees: the one implementation used by the data fetcher's staging folders, the results store's
 * abandoned temporary runs and the native-library cache. Stateless; thread-safe (concurrent deleters of one tree
 * tolerate each other's deletions).
 */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes a file or folder tree; absent is fine; symbolic links are removed, never followed. */
  public static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** {@link #deleteRecursively} for clean-up paths that must not hide the original failure: errors are dropped. */
  public static void deleteQuietly(Path p) {
    try {
      deleteRecursively(p);
    } catch (IOException | RuntimeException ignored) {
      // best effort: whatever is left is removed by the next clean-up
    }
  }
}
