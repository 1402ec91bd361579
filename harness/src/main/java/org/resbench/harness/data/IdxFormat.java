package org.resbench.harness.data;

import java.nio.file.Path;
import org.resbench.harness.spec.Shape;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST, gzipped or not (detected from the content, not the name).
 * An IDX file is a big-endian header (magic {@code 0x0000 TT DD}: type TT = 0x08 unsigned byte, DD
 * dimensions; then DD int32 sizes) followed by the values. Image files have magic 2051 (three dimensions:
 * count, rows, cols), label files 2049 (one: count). Every defect is a {@link DataFormatException} naming the
 * file. Stateless and thread-safe.
 */
public final class IdxFormat {
  /** The magic number of an image file: unsigned bytes, three dimensions. */
  public static final int IMAGES_MAGIC = 2051;
  /** The magic number of a label file: unsigned bytes, one dimension. */
  public static final int LABELS_MAGIC = 2049;

  private IdxFormat() {}

  /** Reads an image file and its label file; labels must be in [0, classes). */
  public static RawImages read(Path images, Path labels, int classes) {
    return read(DataFile.read(images), DataFile.read(labels), classes);
  }

  /** Parses an image file and its label file already read into memory; labels must be in [0, classes). */
  public static RawImages read(DataFile images, DataFile labels, int classes) {
    byte[] img = images.content();
    int[] dims = header(images.path(), img, IMAGES_MAGIC, 3, "an image file");
    byte[] lab = labels.content();
    int[] ldims = header(labels.path(), lab, LABELS_MAGIC, 1, "a label file");
    int count = dims[0];
    int rows = dims[1];
    int cols = dims[2];
    if (rows <= 0 || cols <= 0) {
      throw new DataFormatException(images.path(), "image size " + rows + "x" + cols
          + " in the header; allowed: positive");
    }
    long pixelBytes = (long) count * rows * cols;
    checkLength(images.path(), img.length, 16, pixelBytes, count + " images of " + rows + "x" + cols);
    checkLength(labels.path(), lab.length, 8, ldims[0], ldims[0] + " labels");
    if (ldims[0] != count) {
      throw new DataFormatException(labels.path(), "image/label count mismatch: " + ldims[0] + " labels for the "
          + count + " images of " + images.path() + "; allowed: one label per image");
    }
    byte[] pixels = java.util.Arrays.copyOfRange(img, 16, 16 + (int) pixelBytes);
    byte[] labelBytes = java.util.Arrays.copyOfRange(lab, 8, 8 + count);
    checkLabels(labels.path(), labelBytes, 0, classes);
    return new RawImages(images.path().getFileName() + "+" + labels.path().getFileName(), count,
        Shape.of(1, rows, cols), pixels, labelBytes);
  }

  /**
   * The number of items a file's header declares (images or labels), reading only the header.
   *
   * @param images true for an image file (magic 2051), false for a label file (2049)
   */
  public static int declaredCount(Path file, boolean images) {
    return declaredCount(file, DataFile.head(file, images ? 16 : 8), images);
  }

  /** The number of items the header at the start of {@code content} declares; {@code file} names it in errors. */
  public static int declaredCount(Path file, byte[] head, boolean images) {
    return images ? header(file, head, IMAGES_MAGIC, 3, "an image file")[0]
        : header(file, head, LABELS_MAGIC, 1, "a label file")[0];
  }

  private static int[] header(Path file, byte[] b, int magic, int rank, String what) {
    int headerBytes = 4 + 4 * rank;
    if (b.length < 4) {
      throw new DataFormatException(file, "truncated: " + b.length + " bytes, shorter than an IDX magic number");
    }
    int actual = readInt(b, 0);
    if (actual != magic) {
      throw new DataFormatException(file, String.format(java.util.Locale.ROOT,
          "wrong magic number %d (0x%08x); allowed: %d (0x%08x) for %s (unsigned bytes, %d dimension%s)%s",
          actual, actual, magic, magic, what, rank, rank == 1 ? "" : "s", hint(actual)));
    }
    if (b.length < headerBytes) {
      throw new DataFormatException(file, "truncated: " + b.length + " bytes, shorter than the " + headerBytes
          + "-byte IDX header");
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = readInt(b, 4 + 4 * i);
      if (dims[i] < 0) {
        throw new DataFormatException(file, "negative size " + dims[i] + " in the IDX header");
      }
    }
    return dims;
  }

  private static String hint(int actual) {
    if (actual == IMAGES_MAGIC) {
      return "; this is an image file";
    }
    if (actual == LABELS_MAGIC) {
      return "; this is a label file";
    }
    return "";
  }

  private static void checkLength(Path file, long length, int header, long body, String what) {
    long expected = header + body;
    if (length < expected) {
      throw new DataFormatException(file, "truncated: the header declares " + what + " (" + expected
          + " bytes with the header), the file has " + length + " bytes");
    }
    if (length > expected) {
      throw new DataFormatException(file, (length - expected) + " unexpected bytes after the " + what
          + " that the header declares (" + expected + " bytes expected, " + length + " found)");
    }
  }

  static void checkLabels(Path file, byte[] labels, int offset, int classes) {
    for (int i = offset; i < labels.length; i++) {
      int y = labels[i] & 0xff;
      if (y >= classes) {
        throw new DataFormatException(file, "label " + y + " of example " + (i - offset)
            + " is out of range; allowed: 0.."
            + (classes - 1));
      }
    }
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }
}
