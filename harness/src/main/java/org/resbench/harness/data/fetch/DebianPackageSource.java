package org.resbench.harness.data.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resbench.harness.data.DataFile;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.ProgressListener;
import org.resbench.harness.io.FileTrees;

/**
 * A Debian package that ships the data set (Fashion-MNIST: {@code dataset-fashion-mnist}): {@code apt-get
 * download} (no root needed) into the staging folder, its checksum checked against apt's index, then
 * {@code dpkg-deb -x} and the data files taken from {@code dirInPackage}. Nothing is installed system-wide.
 * Immutable.
 */
public final class DebianPackageSource implements FetchSource {
  private static final Pattern URI_LINE =
      Pattern.compile("'([^']+)'\\s+(\\S+)\\s+(\\d+)\\s+SHA256:([0-9a-fA-F]{64})");
  private final String pkg;
  private final String dirInPackage;

  public DebianPackageSource(String pkg, String dirInPackage) {
    this.pkg = pkg;
    this.dirInPackage = dirInPackage;
  }

  @Override
  public String kind() {
    return "debian";
  }

  @Override
  public String describe() {
    return "Debian package " + pkg;
  }

  @Override
  public Obtained obtain(DatasetDescriptor d, Path staging, ProgressListener progress) throws IOException {
    if (!Processes.onPath("apt-get") || !Processes.onPath("dpkg-deb")) {
      throw new Unavailable("apt-get or dpkg-deb not found (not a Debian-based machine)");
    }
    Path work = Files.createDirectories(staging.resolve(".debian"));
    try {
      String uris;
      try {
        uris = Processes.run(List.of("apt-get", "download", "--print-uris", pkg), work, Duration.ofMinutes(2), ()
            -> {});
      } catch (IOException e) {
        throw unknownPackage(e);
      }
      Matcher m = URI_LINE.matcher(uris);
      if (!m.find()) {
        throw new Unavailable("apt-get does not know how to download " + pkg + " (" + Processes.tail(uris, 3)
            + "); run 'apt-get update' as root and retry");
      }
      String fileName = m.group(2);
      long size = Long.parseLong(m.group(3));
      String sha = m.group(4).toLowerCase(Locale.ROOT);
      try (ProgressListener.Task t = progress.start("downloading " + fileName, size)) {
        try {
          Processes.run(List.of("apt-get", "download", pkg), work, Duration.ofMinutes(30),
              () -> t.set(Transfers.sizeOfTree(work)));
        } catch (IOException e) {
          throw unknownPackage(e);
        }
      }
      Path deb = work.resolve(fileName);
      if (!Files.isRegularFile(deb)) {
        throw new IOException("apt-get download " + pkg + " did not leave " + fileName + " in " + work);
      }
      String actual = DataFile.sha256(deb);
      if (!actual.equals(sha)) {
        throw new IOException(deb + ": checksum mismatch: sha256 " + actual + ", apt's index says " + sha);
      }
      Path tree = work.resolve("x");
      try (ProgressListener.Task t = progress.start("unpacking " + fileName, 0)) {
        Processes.run(List.of("dpkg-deb", "-x", deb.toString(), tree.toString()), work, Duration.ofMinutes(10), ()
            -> {});
      }
      Path dir = tree.resolve(dirInPackage);
      for (FileSpec f : d.files()) {
        Optional<Path> p = Transfers.find(dir, d, f);
        if (p.isEmpty()) {
          throw new IOException(describe() + " has no " + f.name() + " in /" + dirInPackage);
        }
        Files.move(p.get(), staging.resolve(p.get().getFileName()));
      }
      String version = fileName.replaceFirst("^[^_]+_", "").replaceFirst("_[^_]+\\.deb$", "");
      return new Obtained(describe() + " " + version, null);
    } finally {
      FileTrees.deleteQuietly(work);
    }
  }

  private IOException unknownPackage(IOException e) {
    String m = Transfers.describe(e);
    if (m.contains("Unable to locate package") || m.contains("has no installation candidate")) {
      return new Unavailable("apt-get does not know package " + pkg + ": run 'apt-get update' as root and retry"
          + " (or install it: apt-get install " + pkg + ")", e);
    }
    return e;
  }
}
