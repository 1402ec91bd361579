package org.resbench.harness.data;

import java.util.SplittableRandom;
import org.resbench.harness.spec.Shape;

/**
 * A random, shape-preserving transformation of one training example, applied in place. All randomness
 * comes from the {@code rng} the harness passes in, so every backend receives bit-identical batches.
 * Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface Augmentation {

  /** No augmentation. */
  Augmentation NONE = (data, offset, shape, rng) -> { };

  /** Transforms the example at {@code data[offset .. offset + shape.size())}. */
  void apply(float[] data, int offset, Shape shape, SplittableRandom rng);
}
