package org.resbench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.resbench.harness.spec.Shape;

/**
 * The real Fashion-MNIST, wherever the locator finds it ({@code .ci/run} installs Debian's
 * {@code dataset-fashion-mnist}; {@code resbench data fetch fashion-mnist} works too). Skipped, with a message,
 * on a machine without it.
 */
class RealFashionMnistTest {

  private static DataLocator.Location located() {
    DataLocator.Search s = DataLocator.standard(null).search(KnownDatasets.FASHION_MNIST);
    Optional<DataLocator.Location> found = s.found();
    assumeTrue(found.isPresent(), () -> "Fashion-MNIST is not on this machine, so this test is skipped (CI installs"
        + " it with apt-get install dataset-fashion-mnist; or run 'resbench data fetch fashion-mnist'). Looked in: "
        + String.join("; ", s.looked()));
    return found.get();
  }

  @Test
  void countsFirstLabelsAndMeanPixel() {
    Datasets.RawSplits raw = Datasets.readRaw(located(), true);
    assertEquals(60_000, raw.train().count());
    assertEquals(10_000, raw.test().count());
    assertEquals(Shape.of(1, 28, 28), raw.train().shape());
    int[] first = new int[10];
    for (int i = 0; i < 10; i++) {
      first[i] = raw.train().label(i);
    }
    assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, first);
    double mean = raw.train().meanPixel();
    assertEquals(72.94, mean, 0.005, "published mean pixel of the training images");
    assertEquals(0.2860, mean / 255, 0.00005);
    assertTrue(raw.checks().stream().allMatch(c -> c.verdict() == Verification.Verdict.VERIFIED), raw.summary());
    int[] perClass = new int[10];
    for (int i = 0; i < 60_000; i++) {
      perClass[raw.train().label(i)]++;
    }
    int[] sixThousand = new int[10];
    Arrays.fill(sixThousand, 6000);
    assertArrayEquals(sixThousand, perClass, "Fashion-MNIST's training split is balanced");
  }

  @Test
  void loadsThroughTheFacade() {
    DataLocator.Location loc = located();
    long start = System.nanoTime();
    DataSplits s = Datasets.load("fashion-mnist", DataOptions.defaults(), new DataLocator(loc.dir(),
        DataEnvironment.system()));
    System.out.printf("Fashion-MNIST loaded (verified, normalised, padded, split) in %.2f s%n",
        (System.nanoTime() - start) / 1e9);
    assertEquals(55_000, s.train().size());
    assertEquals(5_000, s.validation().orElseThrow().size());
    assertEquals(10_000, s.test().size());
    assertEquals(Shape.of(1, 32, 32), s.train().sampleShape());
    Normalization n = s.normalization().orElseThrow();
    assertEquals(0.2860, n.mean()[0], 0.00005);
    assertEquals(0.3530, n.std()[0], 0.00005);
    // The interior of the padded training images is normalised: mean ~0, std ~1 over the 28x28 pixels.
    float[] x = new float[1024];
    double sum = 0;
    double sq = 0;
    long count = 0;
    for (int i = 0; i < s.train().size(); i += 11) {
      s.train().copyInput(i, x, 0);
      for (int r = 2; r < 30; r++) {
        for (int c = 2; c < 30; c++) {
          double v = x[r * 32 + c];
          sum += v;
          sq += v * v;
          count++;
        }
      }
    }
    double mean = sum / count;
    assertEquals(0, mean, 0.02);
    assertEquals(1, Math.sqrt(sq / count - mean * mean), 0.02);
  }
}
