package org.resbench.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.resbench.harness.io.Npy;
import org.resbench.harness.io.NpyArray;

/** Writes the NumPy files that {@code predict} and {@code grad} produce, with their errors as exit codes. */
final class NpyFiles {
  private NpyFiles() {}

  static Path write(Path out, NpyArray array) {
    requireFile(out, ".npy");
    try {
      return Npy.write(out, array);
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
  }

  static Path writeNpz(Path out, Map<String, NpyArray> arrays) {
    requireFile(out, ".npz");
    try {
      return Npy.writeNpz(out, arrays);
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
  }

  private static void requireFile(Path out, String extension) {
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException(out + " is a directory; allowed: a file name, e.g. out" + extension);
    }
  }
}
