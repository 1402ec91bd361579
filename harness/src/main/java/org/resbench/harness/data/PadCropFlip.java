package org.resbench.harness.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.resbench.harness.spec.Shape;

/**
 * He et al.'s (2016) CIFAR augmentation: pad each side by {@code pad} pixels, take a random crop of the
 * original size, and (if {@code flip}) mirror it horizontally with probability 1/2. Per example it draws, in
 * this order, the row offset {@code dy} and the column offset {@code dx} (each uniform in 0..2·pad) and one
 * flip bit; the bit is drawn even when flipping is off, so switching flips on does not move the crops.
 * Output pixel (y, x) is padded pixel (y + dy, x' + dx) with x' = W-1-x when flipped, x otherwise; padded
 * pixels outside the image take {@code fill[c]} (normalised black, like the loader's 28-to-32 border).
 * Immutable and thread-safe.
 *
 * @param fill the border value per channel (or one value for all channels)
 */
public record PadCropFlip(int pad, boolean flip, float[] fill) implements Augmentation {
  public PadCropFlip {
    if (pad < 0) {
      throw new IllegalArgumentException("augmentation pad " + pad + "; allowed: >= 0");
    }
    if (fill.length == 0) {
      throw new IllegalArgumentException("augmentation fill: empty; allowed: one value, or one per channel");
    }
    fill = fill.clone();
  }

  @Override
  public void apply(float[] data, int offset, Shape shape, SplittableRandom rng) {
    int dy = rng.nextInt(2 * pad + 1);
    int dx = rng.nextInt(2 * pad + 1);
    boolean mirror = rng.nextBoolean() && flip;
    apply(data, offset, shape, dy, dx, mirror);
  }

  /** Applies the crop at offsets (dy, dx) of the padded image, mirrored or not. */
  public void apply(float[] data, int offset, Shape shape, int dy, int dx, boolean mirror) {
    if (shape.rank() != 3) {
      throw new IllegalArgumentException("pad-crop-flip on shape " + shape + "; allowed: CxHxW images");
    }
    int c = shape.dim(0);
    int h = shape.dim(1);
    int w = shape.dim(2);
    if (fill.length != 1 && fill.length != c) {
      throw new IllegalArgumentException("pad-crop-flip fill has " + fill.length + " values for " + c
          + " channels; allowed: 1 or " + c);
    }
    if (dy < 0 || dy > 2 * pad || dx < 0 || dx > 2 * pad) {
      throw new IllegalArgumentException("crop offsets (" + dy + ", " + dx + "); allowed: 0.." + 2 * pad);
    }
    if (dy == pad && dx == pad && !mirror) {
      return; // the identity crop
    }
    float[] src = Arrays.copyOfRange(data, offset, offset + shape.size());
    for (int ch = 0; ch < c; ch++) {
      float f = fill[fill.length == 1 ? 0 : ch];
      int plane = ch * h * w;
      for (int y = 0; y < h; y++) {
        int sy = y + dy - pad;
        int row = offset + plane + y * w;
        if (sy < 0 || sy >= h) {
          Arrays.fill(data, row, row + w, f);
          continue;
        }
        for (int x = 0; x < w; x++) {
          int sx = (mirror ? w - 1 - x : x) + dx - pad;
          data[row + x] = sx < 0 || sx >= w ? f : src[plane + sy * w + sx];
        }
      }
    }
  }

  @Override
  public float[] fill() {
    return fill.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PadCropFlip p && pad == p.pad && flip == p.flip && Arrays.equals(fill, p.fill);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * pad + Boolean.hashCode(flip)) + Arrays.hashCode(fill);
  }

  @Override
  public String toString() {
    return "pad " + pad + " + random crop" + (flip ? " + horizontal flip" : " (no flip)");
  }
}
