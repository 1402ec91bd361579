package org.resbench.harness.data;

import java.util.SplittableRandom;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.Shape;

/**
 * A seeded synthetic image classification set whose classes are learnable: each class has a smooth random
 * prototype (a sum of a few 2-D sinusoids per channel); an example is its class's prototype plus i.i.d.
 * Gaussian noise. Values are roughly zero-mean with unit variance. Everything derives from the seed, so two
 * sets generated with equal arguments are identical. Stateless.
 */
public final class SyntheticImageDataset {
  private SyntheticImageDataset() {}

  /**
   * Generates the set as an in-memory data set.
   *
   * @param noise standard deviation of the per-pixel noise relative to the prototypes' (about 1); 0.5 gives a
   *     task that small nets learn within a few hundred steps
   */
  public static InMemoryDataset generate(String name, Shape shape, int classes, int size, double noise, long seed) {
    if (shape.rank() != 3) {
      throw new IllegalArgumentException("synthetic data shape " + shape + "; allowed: CxHxW");
    }
    if (classes < 2 || size < 1 || !(noise >= 0)) {
      throw new IllegalArgumentException("synthetic data: classes=" + classes + ", size=" + size + ", noise=" + noise
          + "; allowed: classes >= 2, size >= 1, noise >= 0");
    }
    int n = shape.size();
    float[][] prototypes = new float[classes][n];
    int c = shape.dim(0);
    int h = shape.dim(1);
    int w = shape.dim(2);
    for (int k = 0; k < classes; k++) {
      SplittableRandom r = Rngs.stream(seed, "synthetic/prototype/" + k);
      for (int ch = 0; ch < c; ch++) {
        for (int wave = 0; wave < 3; wave++) {
          double fy = 0.5 + 2.5 * r.nextDouble();
          double fx = 0.5 + 2.5 * r.nextDouble();
          double phase = 2 * Math.PI * r.nextDouble();
          double amp = 0.8 * (r.nextBoolean() ? 1 : -1);
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              prototypes[k][(ch * h + y) * w + x] +=
                  (float) (amp * StrictMath.sin(2 * StrictMath.PI * (fy * y / h + fx * x / w) + phase));
            }
          }
        }
      }
    }
    float[] inputs = new float[Math.multiplyExact(size, n)];
    int[] labels = new int[size];
    SplittableRandom r = Rngs.stream(seed, "synthetic/examples");
    for (int i = 0; i < size; i++) {
      int k = r.nextInt(classes);
      labels[i] = k;
      for (int j = 0; j < n; j++) {
        inputs[i * n + j] = prototypes[k][j] + (float) (noise * Rngs.gaussian(r));
      }
    }
    return new InMemoryDataset(name, shape, classes, inputs, labels);
  }
}
