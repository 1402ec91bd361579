package org.resbench.harness.data;

import java.nio.file.Path;

/**
 * A data file that cannot be used: wrong magic number, truncated, inconsistent counts, a label out of range,
 * a checksum that does not match. The message names the file and the defect. It is an
 * {@link IllegalArgumentException} (bad input), so the command line exits with the usage code.
 */
public class DataFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public DataFormatException(Path file, String defect) {
    super(file + ": " + defect);
    this.file = file;
  }

  public DataFormatException(Path file, String defect, Throwable cause) {
    super(file + ": " + defect, cause);
    this.file = file;
  }

  /** The file with the defect. */
  public Path file() {
    return file;
  }
}
