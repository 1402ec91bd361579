package org.resbench.harness.model;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Named random streams: every consumer of randomness (one parameter's initialisation, the data order, the
 * augmentation, the stochastic-depth gates) gets its own stream derived from (seed, name), so adding a
 * consumer does not shift anyone else's numbers. Uses only the specified SplitMix64 algorithm of
 * {@link SplittableRandom}, so streams are identical on every JVM. Stateless and thread-safe; the returned
 * streams are not thread-safe.
 */
public final class Rngs {
  private Rngs() {}

  /** The stream for {@code name} under {@code seed}. */
  public static SplittableRandom stream(long seed, String name) {
    return new SplittableRandom(mix(seed, name));
  }

  /** A 64-bit seed derived from (seed, name): FNV-1a of the name, mixed with the seed by SplitMix64's finaliser. */
  public static long mix(long seed, String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return finalise(finalise(seed) ^ h);
  }

  private static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * A standard normal draw by the Box-Muller transform over two uniforms. Written here rather than taken
   * from {@code RandomGenerator.nextGaussian}, whose algorithm the JDK does not promise to keep. Uses
   * {@link StrictMath}: only its results are specified bit for bit on every JVM and platform ({@link Math}'s
   * {@code log} and {@code cos} may differ by an ulp), and the weights must be the same bits everywhere.
   */
  public static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log is finite
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }
}
