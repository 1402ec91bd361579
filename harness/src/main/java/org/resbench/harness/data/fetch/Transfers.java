package org.resbench.harness.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.ProgressListener;

/** File helpers of the fetch package: copying with progress, finding a data set's files. */
final class Transfers {
  private Transfers() {}

  /** Copies {@code in} to {@code out}, reporting each chunk to {@code task}; returns the bytes copied. */
  static long copy(InputStream in, OutputStream out, ProgressListener.Task task) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
      total += n;
      task.advance(n);
    }
    return total;
  }

  /** Copies a file with a progress task. */
  static void copyFile(Path from, Path to, ProgressListener progress) throws IOException {
    try (ProgressListener.Task t = progress.start("copying " + from.getFileName(), Files.size(from));
         InputStream in = Files.newInputStream(from);
         OutputStream out = Files.newOutputStream(to)) {
      copy(in, out, t);
    }
  }

  /** The file of {@code d} named {@code f} in {@code dir}, under any of its stored names. */
  static Optional<Path> find(Path dir, DatasetDescriptor d, FileSpec f) {
    for (String n : d.storedNames(f)) {
      Path p = dir.resolve(n);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Bytes in regular files under {@code dir} (for progress of external tools that write there). */
  static long sizeOfTree(Path dir) {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The message of a failure, with its type when the message alone says too little. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return m;
  }
}
