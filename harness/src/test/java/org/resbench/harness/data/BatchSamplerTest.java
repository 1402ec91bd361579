package org.resbench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.resbench.harness.spec.Shape;

class BatchSamplerTest {
  private final InMemoryDataset data = SyntheticImageDataset.generate("syn", Shape.of(1, 4, 4), 3, 10, 0.5, 1);

  @Test
  void sameSeedSameBatchesOtherSeedOtherOrder() {
    BatchSampler a = new BatchSampler(data, 4, 5, Augmentation.NONE);
    BatchSampler b = new BatchSampler(data, 4, 5, Augmentation.NONE);
    BatchSampler c = new BatchSampler(data, 4, 6, Augmentation.NONE);
    boolean differs = false;
    for (int i = 0; i < 6; i++) {
      Batch x = a.next();
      Batch y = b.next();
      Batch z = c.next();
      assertArrayEquals(x.input().data(), y.input().data());
      assertArrayEquals(x.labels(), y.labels());
      differs |= !Arrays.equals(x.input().data(), z.input().data());
    }
    assertFalse(!differs, "another seed should give another order");
  }

  @Test
  void everyEpochVisitsDistinctExamplesAndDropsTheTail() {
    BatchSampler s = new BatchSampler(data, 3, 1, Augmentation.NONE);
    assertEquals(3, s.batchesPerEpoch());
    for (int epoch = 0; epoch < 3; epoch++) {
      assertEquals(epoch, s.epoch(), "the next batch's epoch");
      assertEquals(0, s.batchInEpoch());
      float[][] seen = new float[9][];
      for (int i = 0; i < 3; i++) {
        Batch b = s.next();
        assertArrayEquals(new int[] {3, 1, 4, 4}, b.input().shape());
        for (int j = 0; j < 3; j++) {
          seen[i * 3 + j] = Arrays.copyOfRange(b.input().data(), j * 16, j * 16 + 16);
        }
      }
      for (int i = 0; i < 9; i++) {
        for (int j = i + 1; j < 9; j++) {
          assertFalse(Arrays.equals(seen[i], seen[j]), "example repeated within epoch " + epoch);
        }
      }
    }
    assertEquals(9, s.step());
  }

  @Test
  void aSamplerStartedAtAStepContinuesExactlyAsAnUninterruptedOne() {
    Augmentation noise = (x, off, shape, rng) -> {
      for (int i = 0; i < shape.size(); i++) {
        x[off + i] += (float) rng.nextDouble();
      }
    };
    BatchSampler whole = new BatchSampler(data, 3, 7, noise);
    for (int i = 0; i < 5; i++) {
      whole.next();
    }
    BatchSampler resumed = new BatchSampler(data, 3, 7, noise, 5);
    assertEquals(1, resumed.epoch());
    assertEquals(2, resumed.batchInEpoch());
    for (int i = 0; i < 7; i++) {
      Batch a = whole.next();
      Batch b = resumed.next();
      assertArrayEquals(a.input().data(), b.input().data(), "step " + (5 + i));
      assertArrayEquals(a.labels(), b.labels());
    }
  }

  @Test
  void augmentationGetsItsOwnReproducibleStream() {
    Augmentation negate = (x, off, shape, rng) -> {
      if (rng.nextBoolean()) {
        for (int i = 0; i < shape.size(); i++) {
          x[off + i] = -x[off + i];
        }
      }
    };
    Batch plain = new BatchSampler(data, 5, 3, Augmentation.NONE).next();
    Batch aug1 = new BatchSampler(data, 5, 3, negate).next();
    Batch aug2 = new BatchSampler(data, 5, 3, negate).next();
    assertArrayEquals(aug1.input().data(), aug2.input().data());
    assertArrayEquals(plain.labels(), aug1.labels(), "augmentation must not change the order");
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new BatchSampler(data, 11, 0, Augmentation.NONE));
    assertThrows(IllegalArgumentException.class, () -> BatchSampler.slice(data, 5, 5));
    assertEquals(2, BatchSampler.slice(data, 8, 10).size());
  }

  @Test
  void syntheticDataIsDeterministicAndClassesDiffer() {
    InMemoryDataset again = SyntheticImageDataset.generate("syn", Shape.of(1, 4, 4), 3, 10, 0.5, 1);
    float[] a = new float[16];
    float[] b = new float[16];
    for (int i = 0; i < 10; i++) {
      data.copyInput(i, a, 0);
      again.copyInput(i, b, 0);
      assertArrayEquals(a, b);
      assertEquals(data.label(i), again.label(i));
    }
    // Noise-free examples of two classes are their (different) prototypes.
    InMemoryDataset clean = SyntheticImageDataset.generate("c", Shape.of(1, 8, 8), 2, 50, 0, 2);
    float[] p0 = null;
    float[] p1 = null;
    for (int i = 0; i < 50; i++) {
      float[] x = new float[64];
      clean.copyInput(i, x, 0);
      if (clean.label(i) == 0) {
        p0 = x;
      } else {
        p1 = x;
      }
    }
    assertFalse(Arrays.equals(p0, p1));
  }
}
