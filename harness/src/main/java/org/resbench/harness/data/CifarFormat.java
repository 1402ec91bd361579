package org.resbench.harness.data;

import java.nio.file.Path;
import org.resbench.harness.spec.Shape;

/**
 * Reads CIFAR-10 binary batches ({@code data_batch_1.bin} ... {@code data_batch_5.bin}, {@code test_batch.bin}):
 * records of one label byte followed by 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each 32x32
 * row-major), with nothing between records. Each official file holds 10,000 records (30,730,000 bytes).
 * Every defect is a {@link DataFormatException} naming the file. Stateless and thread-safe.
 */
public final class CifarFormat {
  /** The shape of one image. */
  public static final Shape SHAPE = Shape.of(3, 32, 32);
  /** Bytes per record: the label and the pixels. */
  public static final int RECORD_BYTES = 1 + 3 * 32 * 32;

  private CifarFormat() {}

  /** Reads one batch file; labels must be in [0, classes). */
  public static RawImages read(Path file, int classes) {
    return read(DataFile.read(file), classes);
  }

  /** Parses one batch file already read into memory. */
  public static RawImages read(DataFile file, int classes) {
    byte[] b = file.content();
    int count = recordCount(file.path(), b.length);
    int n = SHAPE.size();
    byte[] pixels = new byte[count * n];
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      int at = i * RECORD_BYTES;
      labels[i] = b[at];
      System.arraycopy(b, at + 1, pixels, i * n, n);
    }
    IdxFormat.checkLabels(file.path(), labels, 0, classes);
    return new RawImages(file.path().getFileName().toString(), count, SHAPE, pixels, labels);
  }

  /** The number of records a file of {@code length} content bytes holds, or a defect naming the file. */
  public static int recordCount(Path file, long length) {
    if (length == 0) {
      throw new DataFormatException(file, "empty; allowed: records of " + RECORD_BYTES
          + " bytes (1 label + 3072 pixels)");
    }
    if (length % RECORD_BYTES != 0) {
      throw new DataFormatException(file, "truncated: " + length + " bytes is not a whole number of "
          + RECORD_BYTES + "-byte records (1 label + 3072 pixels); the last record has " + (length % RECORD_BYTES)
          + " bytes");
    }
    if (length / RECORD_BYTES > Integer.MAX_VALUE / RECORD_BYTES) {
      throw new DataFormatException(file, "too large: " + length + " bytes");
    }
    return (int) (length / RECORD_BYTES);
  }
}
