package org.resbench.harness.data;

import java.util.Arrays;
import org.resbench.harness.spec.Shape;

/**
 * Turns {@link RawImages} into float examples: per-channel normalisation, then centring each image on a
 * larger canvas (28x28 digits on 32x32, so the CIFAR networks take them unchanged). The border is black, i.e.
 * a raw pixel value of 0 normalised like every other pixel (the digits' own background; torchvision's
 * {@code Pad} before {@code Normalize} does the same). Stateless and thread-safe.
 */
public final class Preprocessing {
  private Preprocessing() {}

  /**
   * The examples {@code indices} of {@code raw}, in that order, as a contiguous data set.
   *
   * @param padTo the canvas height and width; 0 keeps the images' own size
   */
  public static InMemoryDataset toDataset(String name, RawImages raw, int[] indices, Normalization norm, int padTo,
      int classes) {
    Shape in = raw.shape();
    int c = in.dim(0);
    int h = in.dim(1);
    int w = in.dim(2);
    if (norm.channels() != c) {
      throw new IllegalArgumentException(name + ": normalization for " + norm.channels() + " channels, images have "
          + c + "; allowed: one mean and std per channel");
    }
    Shape out = outputShape(in, padTo);
    int oh = out.dim(1);
    int ow = out.dim(2);
    int top = (oh - h) / 2;
    int left = (ow - w) / 2;
    float[][] table = norm.table();
    int inSize = in.size();
    int outSize = out.size();
    float[] x = new float[Math.multiplyExact(indices.length, outSize)];
    int[] y = new int[indices.length];
    byte[] px = raw.pixels();
    boolean padded = oh != h || ow != w;
    for (int i = 0; i < indices.length; i++) {
      int src = indices[i] * inSize;
      int dst = i * outSize;
      for (int ch = 0; ch < c; ch++) {
        float[] t = table[ch];
        int plane = dst + ch * oh * ow;
        if (padded) {
          Arrays.fill(x, plane, plane + oh * ow, t[0]);
        }
        for (int r = 0; r < h; r++) {
          int s = src + (ch * h + r) * w;
          int d = plane + (r + top) * ow + left;
          for (int col = 0; col < w; col++) {
            x[d + col] = t[px[s + col] & 0xff];
          }
        }
      }
      y[i] = raw.label(indices[i]);
    }
    return new InMemoryDataset(name, out, classes, x, y);
  }

  /** The shape after padding {@code in} (CxHxW) to {@code padTo}; 0 means no padding. */
  public static Shape outputShape(Shape in, int padTo) {
    if (padTo == 0) {
      return in;
    }
    if (padTo < in.dim(1) || padTo < in.dim(2)) {
      throw new IllegalArgumentException("pad-to " + padTo + " for " + in.dim(1) + "x" + in.dim(2)
          + " images; allowed: 0 (no padding) or at least " + Math.max(in.dim(1), in.dim(2)));
    }
    return Shape.of(in.dim(0), padTo, padTo);
  }

  /** The indices 0..n-1. */
  public static int[] all(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }
}
