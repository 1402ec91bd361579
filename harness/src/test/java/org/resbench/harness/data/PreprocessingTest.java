package org.resbench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.resbench.harness.spec.Shape;

/** Normalisation, padding, the validation split and He et al.'s pad-crop-flip. */
class PreprocessingTest {

  @Test
  void normalizationStatisticsArePerChannelAndExact() {
    RawImages r = DataFixtures.images("x", 9, Shape.of(3, 4, 4), 10, 5);
    Normalization n = Normalization.of(r);
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      double sq = 0;
      int count = 0;
      for (int i = 0; i < 9; i++) {
        for (int j = 0; j < 16; j++) {
          double v = (r.pixels()[i * 48 + c * 16 + j] & 0xff) / 255.0;
          sum += v;
          sq += v * v;
          count++;
        }
      }
      double mean = sum / count;
      assertEquals(mean, n.mean()[c], 1e-12);
      assertEquals(Math.sqrt(sq / count - mean * mean), n.std()[c], 1e-9);
    }
    assertNotEquals(n.mean()[0], n.mean()[1]);
    assertEquals((float) ((200 / 255.0 - n.mean()[2]) / n.std()[2]), n.apply(2, 200));
    assertThrows(IllegalArgumentException.class, () -> new Normalization(new double[] {0.5}, new double[] {0}));
  }

  @Test
  void paddingCentresTheImageOnABlackCanvas() {
    RawImages r = DataFixtures.images("x", 2, Shape.of(1, 28, 28), 10, 7);
    Normalization n = new Normalization(new double[] {0.25}, new double[] {0.5});
    InMemoryDataset d = Preprocessing.toDataset("p", r, new int[] {1, 0}, n, 32, 10);
    assertEquals(Shape.of(1, 32, 32), d.sampleShape());
    float[] x = new float[1024];
    d.copyInput(0, x, 0); // example 1 of the raw set: indices keep their order
    float black = (float) ((0 - 0.25) / 0.5);
    for (int y = 0; y < 32; y++) {
      for (int col = 0; col < 32; col++) {
        float v = x[y * 32 + col];
        if (y < 2 || y >= 30 || col < 2 || col >= 30) {
          assertEquals(black, v, "border at " + y + "," + col);
        } else {
          int raw = r.pixels()[784 + (y - 2) * 28 + (col - 2)] & 0xff;
          assertEquals(n.apply(0, raw), v, "pixel at " + y + "," + col);
        }
      }
    }
    assertEquals(r.label(1), d.label(0));
    assertEquals(Shape.of(1, 28, 28), Preprocessing.toDataset("q", r, new int[] {0}, n, 0, 10).sampleShape());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Preprocessing.toDataset("q", r, new int[] {0}, n, 20, 10));
    assertTrue(e.getMessage().contains("allowed: 0 (no padding) or at least 28"), e.getMessage());
  }

  @Test
  void validationSplitIsASeededPartition() {
    ValidationSplit a = ValidationSplit.of(100, 10, 4);
    assertEquals(90, a.train().length);
    assertEquals(10, a.validation().length);
    Set<Integer> all = new HashSet<>();
    for (int i : a.train()) {
      all.add(i);
    }
    for (int i : a.validation()) {
      assertTrue(all.add(i), "index " + i + " in both splits");
    }
    assertEquals(100, all.size());
    int[] v = a.validation();
    int[] sorted = v.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, v);
    assertEquals(a, ValidationSplit.of(100, 10, 4));
    assertNotEquals(a, ValidationSplit.of(100, 10, 5));
    assertFalse(Arrays.equals(Preprocessing.all(10), v), "the held-out examples are not simply the first ones");
    assertEquals(0, ValidationSplit.of(5, 0, 1).validation().length);
    assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(5, 5, 1));
    assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(5, -1, 1));
  }

  /** A 1x3x4 image whose values are 1 + its flat index, so each output pixel says where it came from. */
  private static float[] ramp() {
    float[] x = new float[12];
    for (int i = 0; i < 12; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  @Test
  void cropOffsetsShiftTheImageAndFillTheBorder() {
    Shape s = Shape.of(1, 3, 4);
    PadCropFlip a = new PadCropFlip(1, false, new float[] {-9});
    float[] x = ramp();
    a.apply(x, 0, s, 1, 1, false);
    assertArrayEquals(ramp(), x, "offset (pad, pad) is the identity");

    x = ramp();
    a.apply(x, 0, s, 0, 0, false); // window starts one pixel up and left of the image
    assertArrayEquals(new float[] {-9, -9, -9, -9, -9, 1, 2, 3, -9, 5, 6, 7}, x);

    x = ramp();
    a.apply(x, 0, s, 2, 1, false); // one pixel down
    assertArrayEquals(new float[] {5, 6, 7, 8, 9, 10, 11, 12, -9, -9, -9, -9}, x);

    x = ramp();
    a.apply(x, 0, s, 1, 2, false); // one pixel right
    assertArrayEquals(new float[] {2, 3, 4, -9, 6, 7, 8, -9, 10, 11, 12, -9}, x);

    x = ramp();
    a.apply(x, 0, s, 1, 1, true); // mirror only
    assertArrayEquals(new float[] {4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9}, x);

    x = ramp();
    a.apply(x, 0, s, 1, 2, true); // crop one right, then mirror the crop
    assertArrayEquals(new float[] {-9, 4, 3, 2, -9, 8, 7, 6, -9, 12, 11, 10}, x);
  }

  @Test
  void augmentationWorksInPlaceAtAnOffsetAndPerChannel() {
    Shape s = Shape.of(2, 2, 2);
    float[] buf = {100, 1, 2, 3, 4, 5, 6, 7, 8, 100};
    new PadCropFlip(1, false, new float[] {-1, -2}).apply(buf, 1, s, 0, 0, false);
    assertArrayEquals(new float[] {100, -1, -1, -1, 1, -2, -2, -2, 5, 100}, buf);
    assertThrows(IllegalArgumentException.class, () -> new PadCropFlip(1, false, new float[] {0, 0, 0})
        .apply(new float[8], 0, s, 0, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new PadCropFlip(1, false, new float[] {0})
        .apply(new float[8], 0, s, 3, 0, false));
  }

  @Test
  void randomDrawsCoverEveryOffsetAndFlipOnlyWhenAsked() {
    Shape s = Shape.of(1, 3, 4);
    PadCropFlip noFlip = new PadCropFlip(2, false, new float[] {0});
    PadCropFlip flip = new PadCropFlip(2, true, new float[] {0});
    SplittableRandom r1 = new SplittableRandom(11);
    SplittableRandom r2 = new SplittableRandom(11);
    Set<String> seen = new HashSet<>();
    int mirrored = 0;
    for (int i = 0; i < 400; i++) {
      float[] a = ramp();
      float[] b = ramp();
      noFlip.apply(a, 0, s, r1);
      flip.apply(b, 0, s, r2);
      // Same stream: the flipped variant is the unflipped crop, or that crop mirrored.
      float[] m = new float[12];
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 4; x++) {
          m[y * 4 + x] = a[y * 4 + 3 - x];
        }
      }
      boolean same = Arrays.equals(a, b);
      boolean mirror = Arrays.equals(m, b);
      assertTrue(same || mirror, "draw " + i);
      if (mirror && !same) {
        mirrored++;
      }
      seen.add(Arrays.toString(a));
    }
    assertEquals(25, seen.size(), "5 x 5 offsets of a pad-2 crop");
    assertTrue(mirrored > 150 && mirrored < 250, "about half mirrored: " + mirrored);
  }
}
