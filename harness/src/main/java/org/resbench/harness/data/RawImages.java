package org.resbench.harness.data;

import java.util.Arrays;
import java.util.List;
import org.resbench.harness.spec.Shape;

/**
 * Images as stored on disk, before preprocessing: {@code count} examples of unsigned 8-bit pixels in
 * C x H x W order (channel-major, then row-major), with one label per example. The readers produce these;
 * {@link Preprocessing} turns them into float examples.
 *
 * <p>Ownership: wraps the arrays without copying; nobody modifies them after construction. Thread-safe for
 * reads.
 *
 * @param source the file or files the images came from, for messages and provenance
 */
public record RawImages(String source, int count, Shape shape, byte[] pixels, byte[] labels) {
  public RawImages {
    if (shape.rank() != 3) {
      throw new IllegalArgumentException(source + ": image shape " + shape + "; allowed: CxHxW");
    }
    if (count < 0 || (long) count * shape.size() != pixels.length || labels.length != count) {
      throw new IllegalArgumentException(source + ": " + count + " images of " + shape + " need "
          + (long) count * shape.size() + " pixel bytes and " + count + " labels; got " + pixels.length
          + " pixel bytes and " + labels.length + " labels");
    }
  }

  /** The label of example {@code i}, 0..255. */
  public int label(int i) {
    return labels[i] & 0xff;
  }

  /** Joins image sets of equal shape in order (for CIFAR-10's five training batches). */
  public static RawImages concat(String source, List<RawImages> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException(source + ": no image files to join");
    }
    Shape shape = parts.get(0).shape();
    int count = 0;
    for (RawImages p : parts) {
      if (!p.shape().equals(shape)) {
        throw new IllegalArgumentException(source + ": " + p.source() + " has images of " + p.shape() + ", "
            + parts.get(0).source() + " of " + shape + "; allowed: one shape");
      }
      count = Math.addExact(count, p.count());
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int n = shape.size();
    byte[] pixels = new byte[Math.multiplyExact(count, n)];
    byte[] labels = new byte[count];
    int at = 0;
    for (RawImages p : parts) {
      System.arraycopy(p.pixels(), 0, pixels, at * n, p.count() * n);
      System.arraycopy(p.labels(), 0, labels, at, p.count());
      at += p.count();
    }
    return new RawImages(source, count, shape, pixels, labels);
  }

  /** The mean of all pixel values, 0..255 (the figure data-set papers quote). */
  public double meanPixel() {
    long[] hist = new long[256];
    for (byte b : pixels) {
      hist[b & 0xff]++;
    }
    double sum = 0;
    for (int v = 0; v < 256; v++) {
      sum += (double) v * hist[v];
    }
    return pixels.length == 0 ? 0 : sum / pixels.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawImages r && count == r.count && source.equals(r.source) && shape.equals(r.shape)
        && Arrays.equals(pixels, r.pixels) && Arrays.equals(labels, r.labels);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(labels) + count;
  }

  @Override
  public String toString() {
    return "RawImages[" + source + ", " + count + " x " + shape + "]";
  }
}
