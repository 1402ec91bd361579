package org.resbench.harness.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.resbench.harness.data.DataLocator.Location;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.DatasetDescriptor.Format;
import org.resbench.harness.io.IoMessages;

/**
 * Checks a located data set: every file's SHA-256 against the checksum pinned in its descriptor (the
 * uncompressed content's, or a known gzipped form's), or, for files with none pinned, against the
 * {@value #MANIFEST} file a fetch wrote beside them from a verified archive; and the example counts against the
 * official ones. Stateless and thread-safe.
 */
public final class Verification {
  /** The checksum manifest (the format of {@code sha256sum}) a fetch writes into a data set's folder. */
  public static final String MANIFEST = "SHA256SUMS";

  private Verification() {}

  /** A file's checksum verdict. */
  public enum Verdict {
    /** Its checksum matches a pinned or manifest checksum. */
    VERIFIED,
    /** No checksum is known for it. */
    UNVERIFIED,
    /** Its checksum differs from the known one, or the file is malformed. */
    MISMATCH;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The check of one file.
   *
   * @param sha256 the SHA-256 of the file as stored
   * @param basis what it was checked against: {@code pinned}, {@value #MANIFEST}, or {@code none}
   */
  public record FileCheck(String file, Path path, Verdict verdict, String sha256, String basis, String detail) {}

  /**
   * The check of a whole data set.
   *
   * @param trainCount examples found in the training split (-1 when unreadable)
   * @param testCount examples found in the test split (-1 when unreadable)
   * @param problems malformed files and count mismatches, empty when none
   */
  public record Report(Location location, List<FileCheck> files, int trainCount, int testCount, List<String> problems) {
    public Report {
      files = List.copyOf(files);
      problems = List.copyOf(problems);
    }

    /** MISMATCH if any file mismatches or anything is malformed; else UNVERIFIED if any file is; else VERIFIED. */
    public Verdict verdict() {
      if (!problems.isEmpty() || files.stream().anyMatch(f -> f.verdict() == Verdict.MISMATCH)) {
        return Verdict.MISMATCH;
      }
      return files.stream().anyMatch(f -> f.verdict() == Verdict.UNVERIFIED) ? Verdict.UNVERIFIED : Verdict.VERIFIED;
    }

    /** One line: {@code verified (4/4 files, pinned sha256)}, {@code MISMATCH: ...}, {@code unverified: ...}. */
    public String summary() {
      long ok = files.stream().filter(f -> f.verdict() == Verdict.VERIFIED).count();
      switch (verdict()) {
        case VERIFIED:
          return "verified (" + ok + "/" + files.size() + " files, sha256)";
        case UNVERIFIED:
          return "unverified (no checksum known for " + (files.size() - ok) + "/" + files.size() + " files)";
        default:
          List<String> bad = new ArrayList<>(problems);
          files.stream().filter(f -> f.verdict() == Verdict.MISMATCH).forEach(f -> bad.add(f.file() + ": "
              + f.detail()));
          return "MISMATCH: " + String.join("; ", bad);
      }
    }
  }

  /** Reads and checks every file of {@code loc}; never throws for bad content, only reports it. */
  public static Report check(Location loc, ProgressListener progress) {
    DatasetDescriptor d = loc.dataset();
    Map<String, String> manifest = readManifest(loc.dir());
    List<FileCheck> checks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int[] counts = {0, 0};
    boolean[] unreadable = {false, false};
    List<FileSpec> files = d.files();
    for (int i = 0; i < files.size(); i++) {
      FileSpec spec = files.get(i);
      int split = i < d.trainFiles().size() ? 0 : 1;
      Path path = loc.path(spec);
      DataFile file;
      try (ProgressListener.Task t = progress.start("checking " + path.getFileName(), sizeOf(path))) {
        file = DataFile.read(path);
        t.advance(file.storedSize());
      } catch (DataFormatException e) {
        checks.add(new FileCheck(spec.name(), path, Verdict.MISMATCH, null, "none", e.getMessage()));
        unreadable[split] = true;
        continue;
      }
      checks.add(check(spec, file, manifest));
      try {
        int n = count(d, spec, file, split == 0 ? d.trainFiles() : d.testFiles());
        if (n >= 0) {
          counts[split] += n;
        }
      } catch (DataFormatException e) {
        problems.add(e.getMessage());
        unreadable[split] = true;
      }
    }
    if (d.format() == Format.IDX) {
      checkPair(loc, d.trainFiles(), problems, unreadable, 0);
      checkPair(loc, d.testFiles(), problems, unreadable, 1);
    }
    int train = unreadable[0] ? -1 : counts[0];
    int test = unreadable[1] ? -1 : counts[1];
    if (train >= 0 && d.trainCount() > 0 && train != d.trainCount()) {
      problems.add("training split has " + train + " examples; the official set has " + d.trainCount());
    }
    if (test >= 0 && d.testCount() > 0 && test != d.testCount()) {
      problems.add("test split has " + test + " examples; the official set has " + d.testCount());
    }
    return new Report(loc, checks, train, test, problems);
  }

  private static void checkPair(Location loc, List<FileSpec> pair, List<String> problems, boolean[] unreadable,
      int split) {
    if (unreadable[split]) {
      return;
    }
    int images = IdxFormat.declaredCount(loc.path(pair.get(0)), true);
    int labels = IdxFormat.declaredCount(loc.path(pair.get(1)), false);
    if (images != labels) {
      problems.add(loc.path(pair.get(1)) + ": image/label count mismatch: " + labels + " labels for " + images
          + " images");
      unreadable[split] = true;
    }
  }

  /** Examples in one file: images for an IDX image file (labels are counted by the pair check), records for CIFAR. */
  private static int count(DatasetDescriptor d, FileSpec spec, DataFile file, List<FileSpec> split) {
    if (d.format() == Format.CIFAR_BINARY) {
      return CifarFormat.recordCount(file.path(), file.content().length);
    }
    boolean images = spec.equals(split.get(0));
    int n = IdxFormat.declaredCount(file.path(), file.content(), images);
    return images ? n : -1;
  }

  /** The verdict for one file already read. */
  public static FileCheck check(FileSpec spec, DataFile file, Map<String, String> manifest) {
    String stored = file.storedSha256();
    if (spec.pinned()) {
      if (stored.equals(spec.storedSha256()) || stored.equals(spec.contentSha256())
          || (file.gzipped() && file.contentSha256().equals(spec.contentSha256()))) {
        return new FileCheck(spec.name(), file.path(), Verdict.VERIFIED, stored, "pinned", "ok");
      }
      return new FileCheck(spec.name(), file.path(), Verdict.MISMATCH, stored, "pinned",
          "checksum mismatch: sha256 " + (file.gzipped() ? "of the uncompressed content " + file.contentSha256()
              : stored) + ", expected " + spec.contentSha256());
    }
    String listed = manifest.get(file.path().getFileName().toString());
    if (listed == null) {
      return new FileCheck(spec.name(), file.path(), Verdict.UNVERIFIED, stored, "none", "no checksum known");
    }
    if (listed.equals(stored)) {
      return new FileCheck(spec.name(), file.path(), Verdict.VERIFIED, stored, MANIFEST, "ok");
    }
    return new FileCheck(spec.name(), file.path(), Verdict.MISMATCH, stored, MANIFEST,
        "checksum mismatch: sha256 " + stored + ", " + MANIFEST + " lists " + listed);
  }

  /**
   * Throws a {@link DataFormatException} if {@code file} contradicts a known checksum; for loading.
   *
   * @return the verdict (VERIFIED or UNVERIFIED)
   */
  public static FileCheck require(DatasetDescriptor d, FileSpec spec, DataFile file, Map<String, String> manifest) {
    FileCheck c = check(spec, file, manifest);
    if (c.verdict() == Verdict.MISMATCH) {
      throw new DataFormatException(file.path(), c.detail() + " (" + d.name() + " " + spec.name()
          + "); the file is corrupt or not the official one: delete it and run '" + d.fetchCommand() + "'");
    }
    return c;
  }

  /** The {@value #MANIFEST} entries of {@code dir} (file name to lower-case sha256); empty when absent. */
  public static Map<String, String> readManifest(Path dir) {
    Path m = dir.resolve(MANIFEST);
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(m)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] parts = t.split("\\s+\\*?", 2);
        if (parts.length == 2 && parts[0].matches("[0-9a-fA-F]{64}")) {
          out.put(parts[1].trim(), parts[0].toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw IoMessages.unchecked("read", m, e);
    }
    return out;
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
