package org.resbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.resbench.harness.io.AtomicFiles;

/** Checks an output path before a command works, so a bad {@code --out} fails at once, not after the runs. */
final class Outputs {
  private Outputs() {}

  /**
   * Fails with exit 2 when {@code path} cannot take an output (a folder, a block device, a socket, a link loop,
   * under a file); see {@link AtomicFiles} for what happens to files, devices, FIFOs and links.
   */
  static AtomicFiles.Target check(Path path, String option) {
    return AtomicFiles.checkTarget(path, option);
  }

  /**
   * Prints {@code line} (which names the written file) on {@code out}, or on {@code err} when the file was the
   * standard output itself, so the line does not end up inside the written document.
   */
  static void announce(PrintWriter out, PrintWriter err, Path written, String line) {
    (AtomicFiles.isStandardOutput(written) ? err : out).println(line);
  }
}
