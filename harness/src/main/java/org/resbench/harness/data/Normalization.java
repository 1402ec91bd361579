package org.resbench.harness.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-channel normalisation {@code x = (v / 255 - mean[c]) / std[c]} for 8-bit pixels v. {@link #of} computes
 * mean and (population) standard deviation from a data set's own pixels; the loader does that over the
 * whole official training split (the held-out validation examples included, so the statistics do not depend
 * on the validation seed), never over the test split. Immutable and thread-safe.
 *
 * @param mean per-channel mean in [0, 1] units
 * @param std per-channel standard deviation in [0, 1] units, positive
 */
public record Normalization(double[] mean, double[] std) {
  public Normalization {
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException("normalization: " + mean.length + " means and " + std.length
          + " standard deviations; allowed: one of each per channel");
    }
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 0) || !Double.isFinite(mean[c]) || !Double.isFinite(std[c])) {
        throw new IllegalArgumentException("normalization channel " + c + ": mean " + mean[c] + ", std " + std[c]
            + "; allowed: finite values, std > 0");
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Only scales to [0, 1] (mean 0, std 1 for every channel). */
  public static Normalization unitRange(int channels) {
    double[] m = new double[channels];
    double[] s = new double[channels];
    Arrays.fill(s, 1.0);
    return new Normalization(m, s);
  }

  /** The mean and population standard deviation of each channel of {@code images}, exactly (by histogram). */
  public static Normalization of(RawImages images) {
    int c = images.shape().dim(0);
    int plane = images.shape().dim(1) * images.shape().dim(2);
    long[][] hist = new long[c][256];
    byte[] px = images.pixels();
    int n = images.shape().size();
    for (int i = 0; i < images.count(); i++) {
      for (int ch = 0; ch < c; ch++) {
        long[] h = hist[ch];
        int from = i * n + ch * plane;
        for (int j = from; j < from + plane; j++) {
          h[px[j] & 0xff]++;
        }
      }
    }
    double[] mean = new double[c];
    double[] std = new double[c];
    for (int ch = 0; ch < c; ch++) {
      double count = 0;
      double sum = 0;
      for (int v = 0; v < 256; v++) {
        count += hist[ch][v];
        sum += hist[ch][v] * (v / 255.0);
      }
      if (count == 0) {
        throw new IllegalArgumentException(images.source() + ": no pixels to compute the normalization from");
      }
      mean[ch] = sum / count;
      double ss = 0;
      for (int v = 0; v < 256; v++) {
        double d = v / 255.0 - mean[ch];
        ss += hist[ch][v] * d * d;
      }
      std[ch] = Math.sqrt(ss / count);
      if (std[ch] == 0) {
        std[ch] = 1; // a constant channel: centre it, do not divide by zero
      }
    }
    return new Normalization(mean, std);
  }

  public int channels() {
    return mean.length;
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] std() {
    return std.clone();
  }

  /** The float that pixel value {@code v} (0..255) of channel {@code c} becomes. */
  public float apply(int c, int v) {
    return (float) ((v / 255.0 - mean[c]) / std[c]);
  }

  /** The 256 normalised values of each channel: {@code table[c][v]}. */
  float[][] table() {
    float[][] t = new float[mean.length][256];
    for (int c = 0; c < mean.length; c++) {
      for (int v = 0; v < 256; v++) {
        t[c][v] = apply(c, v);
      }
    }
    return t;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("mean [");
    for (int c = 0; c < mean.length; c++) {
      sb.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", mean[c]));
    }
    sb.append("], std [");
    for (int c = 0; c < std.length; c++) {
      sb.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", std[c]));
    }
    return sb.append("] (of pixel/255)").toString();
  }
}
