package org.resbench.experiments;

import org.resbench.harness.data.SyntheticImageDataset;
import org.resbench.harness.spec.Shape;

/** Where experiments get image data. Stateless and thread-safe. */
public final class ImageSources {
  private ImageSources() {}

  /** The names {@link #load} takes. */
  public static final java.util.List<String> NAMES = java.util.List.of("synthetic");

  /**
   * Loads the named image data.
   *
   * @param name a data set name from {@link #NAMES}
   * @param seed the synthetic set's seed
   */
  public static ImageData load(String name, java.nio.file.Path dataDir, long seed) {
    if (name.equals("synthetic")) {
      return synthetic(seed, "requested with --data synthetic");
    }
    throw new IllegalArgumentException("data set '" + name + "'; allowed: " + String.join(", ", NAMES));
  }

  /** The seeded synthetic set in Fashion-MNIST's padded shape (1x32x32, 10 classes). */
  public static ImageData synthetic(long seed, String why) {
    Shape shape = Shape.of(1, 32, 32);
    return new ImageData(new SyntheticImageDataset("synthetic/train", shape, 10, 2048, 0.5, seed),
        new SyntheticImageDataset("synthetic/test", shape, 10, 512, 0.5, seed + 1),
        "synthetic 1x32x32, 10 classes (" + why + ")", true);
  }
}
