package org.resbench.harness.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Plain-words descriptions of I/O failures for messages a user reads: {@code cannot read /x/run.json: permission
 * denied} rather than {@code java.nio.file.AccessDeniedException: /x/run.json} (whose message is only the path).
 * Stateless.
 */
public final class IoMessages {
  private IoMessages() {}

  /** What went wrong, without the path and without Java class names, e.g. {@code permission denied}. */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "it already exists";
    }
    if (e instanceof NotDirectoryException) {
      return "not a folder";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "the folder is not empty";
    }
    if (e instanceof FileSystemLoopException) {
      return "a loop of symbolic links";
    }
    if (e instanceof EOFException) {
      return "it ends early (truncated)";
    }
    if (e instanceof FileSystemException f) {
      String r = f.getReason();
      if (r != null && !r.isBlank()) {
        return lower(r);
      }
      return "the file system refused";
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return "an I/O error";
    }
    return lower(m);
  }

  /** {@code cannot VERB PATH: REASON}, e.g. {@code cannot read /x/run.json: permission denied}. */
  public static String cannot(String verb, Path path, IOException e) {
    return "cannot " + verb + " " + path + ": " + reason(e);
  }

  /** An unchecked I/O failure whose message is {@link #cannot}. */
  public static UncheckedIOException unchecked(String verb, Path path, IOException e) {
    return new UncheckedIOException(cannot(verb, path, e), e);
  }

  private static String lower(String reason) {
    if (reason.length() > 1 && Character.isUpperCase(reason.charAt(0)) && !Character.isUpperCase(reason.charAt(1))) {
      return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }
    return reason;
  }
}
