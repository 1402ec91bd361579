package org.resbench.experiments;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.resbench.harness.data.DataOptions;
import org.resbench.harness.data.DataSplits;
import org.resbench.harness.data.Datasets;

/** Where experiments get image data: the harness's data sets, with the synthetic fallback. Stateless. */
public final class ImageSources {
  private ImageSources() {}

  /**
   * Loads the named data set ({@code fashion-mnist}, {@code mnist}, {@code cifar10} or {@code synthetic}) as
   * preprocessed train and test splits. When it is not found anywhere, the synthetic set in its shape is used
   * and {@code notice} receives a loud message saying so; a present but corrupt data set still fails.
   */
  public static ImageData load(String name, Path dataDir, Consumer<String> notice) {
    DataSplits d = Datasets.loadOrSynthetic(name, DataOptions.defaults().withDataDir(dataDir), notice);
    return of(d);
  }

  /** The experiments' view of loaded splits. */
  public static ImageData of(DataSplits d) {
    return new ImageData(d.train(), d.test(), describe(d), d.synthetic());
  }

  private static String describe(DataSplits d) {
    StringBuilder sb = new StringBuilder(d.dataset());
    Map<String, String> p = d.provenance();
    if (!p.isEmpty()) {
      sb.append(' ').append(new java.util.TreeMap<>(p));
    }
    return sb.toString();
  }
}
