package org.resbench.harness.data;

import java.util.SplittableRandom;
import org.resbench.harness.model.Rngs;

/**
 * A held-out validation split of a training set (He et al. hold out 5k of CIFAR-10's 50k): {@code size}
 * examples chosen uniformly at random from the stream (seed, "data/validation-split"), the rest for training.
 * Both index lists are ascending, so the split depends only on (n, size, seed). Immutable.
 *
 * @param train ascending indices of the examples that stay in the training set
 * @param validation ascending indices of the held-out examples
 */
public record ValidationSplit(int[] train, int[] validation) {

  /** Splits {@code n} examples, holding out {@code size} of them. */
  public static ValidationSplit of(int n, int size, long seed) {
    if (size < 0 || size >= n) {
      throw new IllegalArgumentException("validation size " + size + " for a training set of " + n
          + " examples; allowed: 0.." + (n - 1));
    }
    int[] perm = Preprocessing.all(n);
    SplittableRandom rng = Rngs.stream(seed, "data/validation-split");
    // Partial Fisher-Yates: the last `size` positions become a uniform random subset.
    for (int i = n - 1; i >= n - size; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    boolean[] held = new boolean[n];
    for (int i = n - size; i < n; i++) {
      held[perm[i]] = true;
    }
    int[] train = new int[n - size];
    int[] validation = new int[size];
    int a = 0;
    int b = 0;
    for (int i = 0; i < n; i++) {
      if (held[i]) {
        validation[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    return new ValidationSplit(train, validation);
  }

  @Override
  public int[] train() {
    return train.clone();
  }

  @Override
  public int[] validation() {
    return validation.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidationSplit s && java.util.Arrays.equals(train, s.train)
        && java.util.Arrays.equals(validation, s.validation);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(validation);
  }

  @Override
  public String toString() {
    return "ValidationSplit[" + train.length + " train, " + validation.length + " validation]";
  }
}
