package org.resbench.harness.data.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.resbench.harness.data.DataFile;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.ProgressListener;

/**
 * Files already on this machine: a folder (a system package's install folder, or one the user names with
 * {@code --from}), or an archive the user downloaded elsewhere ({@code --from cifar-10-binary.tar.gz}). An
 * archive that the data set pins a checksum for must match it. Immutable.
 */
public final class LocalSource implements FetchSource {
  private final String kind;
  private final String label;
  private final Path from;

  /**
   * @param kind {@code installed} for system packages' folders, {@code local} for what the user names
   */
  public LocalSource(String kind, String label, Path from) {
    this.kind = kind;
    this.label = label;
    this.from = from;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public String describe() {
    return label + " (" + from + ")";
  }

  @Override
  public Obtained obtain(DatasetDescriptor d, Path staging, ProgressListener progress) throws IOException {
    if (Files.isDirectory(from)) {
      return copyFolder(d, staging, progress);
    }
    if (Files.isRegularFile(from)) {
      return unpack(d, staging, progress);
    }
    throw new Unavailable(from + ": no such file or folder");
  }

  private Obtained copyFolder(DatasetDescriptor d, Path staging, ProgressListener progress) throws IOException {
    List<Path> candidates = new ArrayList<>();
    candidates.add(from);
    candidates.add(from.resolve(d.name()));
    for (String sub : d.subdirectories()) {
      candidates.add(from.resolve(sub));
      candidates.add(from.resolve(d.name()).resolve(sub));
    }
    for (Path dir : candidates) {
      List<Path> found = new ArrayList<>();
      for (FileSpec f : d.files()) {
        Transfers.find(dir, d, f).ifPresent(found::add);
      }
      if (found.size() == d.files().size()) {
        for (Path p : found) {
          Transfers.copyFile(p, staging.resolve(p.getFileName()), progress);
        }
        return new Obtained(label + " (" + dir + ")", null);
      }
    }
    List<String> missing = new ArrayList<>();
    for (FileSpec f : d.files()) {
      if (Transfers.find(from, d, f).isEmpty()) {
        missing.add(f.name());
      }
    }
    throw new Unavailable(from + " does not hold " + d.title() + ": missing " + String.join(", ", missing));
  }

  private Obtained unpack(DatasetDescriptor d, Path staging, ProgressListener progress) throws IOException {
    String archiveSha = null;
    String memberDir = null;
    if (d.archive() != null) {
      String sha;
      try (ProgressListener.Task t = progress.start("checking " + from.getFileName(), Files.size(from))) {
        sha = DataFile.sha256(from);
        t.set(Files.size(from));
      }
      if (!sha.equals(d.archive().sha256())) {
        throw new IOException(from + " is not the official " + d.archive().fileName() + ": its sha256 is " + sha
            + ", the official archive's is " + d.archive().sha256() + " (" + d.archive().size() + " bytes)");
      }
      archiveSha = sha;
      memberDir = d.archive().memberDir();
    }
    String lower = from.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!(lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".tar"))) {
      throw new Unavailable(from + ": not a folder or a .tar.gz/.tgz/.tar archive; allowed: a folder holding "
          + d.title() + "'s files, or its archive");
    }
    List<String> got = Archives.extract(from, memberDir, wantedNames(d), staging, progress);
    for (FileSpec f : d.files()) {
      Optional<Path> p = Transfers.find(staging, d, f);
      if (p.isEmpty()) {
        throw new IOException(from + " lacks " + f.name() + (memberDir == null ? "" : " in " + memberDir + "/")
            + " (found: " + (got.isEmpty() ? "none of the files" : String.join(", ", got)) + ")");
      }
    }
    return new Obtained("archive " + from, archiveSha);
  }

  /** Every stored name of every file of {@code d}. */
  static Set<String> wantedNames(DatasetDescriptor d) {
    Set<String> names = new LinkedHashSet<>();
    for (FileSpec f : d.files()) {
      names.addAll(d.storedNames(f));
    }
    return names;
  }
}
