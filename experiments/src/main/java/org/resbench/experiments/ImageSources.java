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

  /**
   * Loads the first present data set of {@code names} (in preference order; {@code synthetic} is always
   * present), with its validation split and training augmentation. When none is present this is bad input:
   * the error names every data set tried, where it was looked for and how to fetch it. A later choice than the
   * first is announced through {@code notice}.
   */
  public static ImageData loadFirstPresent(java.util.List<String> names, Path dataDir, Consumer<String> notice) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException("data: none; allowed: one or more of fashion-mnist, mnist, cifar10,"
          + " synthetic (the first present is used)");
    }
    java.util.List<String> missing = new java.util.ArrayList<>();
    for (String name : names) {
      try {
        ImageData d = of(load(name, DataOptions.defaults().withDataDir(dataDir)));
        if (!missing.isEmpty()) {
          notice.accept("NOTE: using " + name + " because " + String.join(", ", names.subList(0, missing.size()))
              + " is not present (" + String.join("; ", missing) + ")");
        }
        return d;
      } catch (org.resbench.harness.data.DatasetNotFoundException e) {
        missing.add(e.getMessage());
      }
    }
    throw new IllegalArgumentException("no data set of " + names + " is present: " + String.join("; ", missing));
  }

  private static final java.util.regex.Pattern SMALL_SYNTHETIC =
      java.util.regex.Pattern.compile("synthetic-(\\d+)x(\\d+)x(\\d+)(?:-n(\\d+))?");

  /**
   * A data set by name; besides the known ones, {@code synthetic-CxHxW[-nN]} is the synthetic set with images of
   * that shape and N training examples (default 1,000; a quarter as many test examples), for quick runs.
   */
  static DataSplits load(String name, DataOptions options) {
    java.util.regex.Matcher m = SMALL_SYNTHETIC.matcher(name == null ? "" : name.trim());
    if (m.matches()) {
      int n = m.group(4) == null ? 1000 : Integer.parseInt(m.group(4));
      if (n < 20) {
        throw new IllegalArgumentException("data '" + name + "': " + n + " examples; allowed: -n20 or more");
      }
      org.resbench.harness.spec.Shape shape = org.resbench.harness.spec.Shape.of(Integer.parseInt(m.group(1)),
          Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
      return Datasets.synthetic(shape, 10, options.withSyntheticSizes(n, Math.max(1, n / 4))
          .withValidationSize(n / 10));
    }
    return Datasets.load(name, options);
  }

  /** The experiments' view of loaded splits. */
  public static ImageData of(DataSplits d) {
    return new ImageData(d.train(), d.validation().orElse(null), d.test(), d.augmentation(), describe(d),
        d.synthetic());
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
