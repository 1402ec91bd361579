package org.resbench.harness.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.resbench.harness.spec.Shape;

/**
 * What a data set is on disk: its format, files, pinned checksums, sizes and where packages install it.
 * {@link KnownDatasets} holds the real ones; tests build their own for small files. Immutable and thread-safe.
 *
 * @param name the name users type ({@code fashion-mnist}); also the folder name under a data root
 * @param format how the files are read
 * @param imageShape the shape of one stored image (before padding)
 * @param classNames the label names, index = label; their number is the number of classes
 * @param trainFiles IDX: [images, labels]; CIFAR: the training batches in order
 * @param testFiles IDX: [images, labels]; CIFAR: the test batch
 * @param trainCount examples in the official training split (checked when verifying)
 * @param testCount examples in the test split (checked when verifying)
 * @param flipByDefault whether horizontal flips suit the data (not for digits)
 * @param subdirectories folders inside a data set's folder that may hold the files (an unpacked archive's)
 * @param systemPlaces absolute folders where system packages install the data set, in search order
 * @param archive the official archive, when the data set ships as one (null otherwise)
 * @param manualHint how to supply the data set by hand, shown when it is missing or a fetch failed
 */
public record DatasetDescriptor(String name, String title, Format format, Shape imageShape, List<String> classNames,
    List<FileSpec> trainFiles, List<FileSpec> testFiles, int trainCount, int testCount, boolean flipByDefault,
    List<String> subdirectories, List<SystemPlace> systemPlaces, Archive archive, String manualHint) {

  /** The on-disk formats. */
  public enum Format {
    /** MNIST-style IDX files, gzipped or not: images (magic 2051) and labels (magic 2049) per split. */
    IDX,
    /** CIFAR-10 binary batches: records of 1 label byte + 3072 pixel bytes. */
    CIFAR_BINARY
  }

  /**
   * One file of a data set. An IDX file may be stored as {@code name} or {@code name.gz}.
   *
   * @param contentSha256 SHA-256 of the uncompressed content, or null when no checksum is pinned
   * @param storedSha256 SHA-256 of a known gzipped form (e.g. the Debian package's), or null
   */
  public record FileSpec(String name, String contentSha256, String storedSha256) {
    public FileSpec {
      if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")) {
        throw new IllegalArgumentException("data file name '" + name + "'; allowed: a plain file name");
      }
      contentSha256 = lower(contentSha256);
      storedSha256 = lower(storedSha256);
    }

    /** Whether some checksum is pinned for this file. */
    public boolean pinned() {
      return contentSha256 != null || storedSha256 != null;
    }

    private static String lower(String s) {
      return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
  }

  /** A folder where a system package installs the data set, and which package that is. */
  public record SystemPlace(String path, String origin) {}

  /**
   * The official archive of a data set.
   *
   * @param memberDir the folder inside the archive that holds the files
   */
  public record Archive(String fileName, String url, String sha256, long size, String memberDir) {}

  public DatasetDescriptor {
    if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("data set name '" + name + "'; allowed: lower-case letters, digits and '-'");
    }
    if (imageShape.rank() != 3) {
      throw new IllegalArgumentException("data set " + name + ": image shape " + imageShape + "; allowed: CxHxW");
    }
    if (classNames.size() < 2) {
      throw new IllegalArgumentException("data set " + name + ": " + classNames.size() + " classes; allowed: >= 2");
    }
    int perSplit = format == Format.IDX ? 2 : 1;
    if (format == Format.IDX ? trainFiles.size() != 2 || testFiles.size() != 2
        : trainFiles.isEmpty() || testFiles.isEmpty()) {
      throw new IllegalArgumentException("data set " + name + ": " + trainFiles.size() + " training and "
          + testFiles.size() + " test files; allowed for " + format + ": "
          + (perSplit == 2 ? "exactly [images, labels] each" : "at least one batch each"));
    }
    classNames = List.copyOf(classNames);
    trainFiles = List.copyOf(trainFiles);
    testFiles = List.copyOf(testFiles);
    subdirectories = List.copyOf(subdirectories);
    systemPlaces = List.copyOf(systemPlaces);
  }

  public int classes() {
    return classNames.size();
  }

  /** Every file, training split first. */
  public List<FileSpec> files() {
    List<FileSpec> all = new ArrayList<>(trainFiles);
    all.addAll(testFiles);
    return all;
  }

  /** The names a file may have on disk: {@code name}, and {@code name.gz} for IDX files. */
  public List<String> storedNames(FileSpec file) {
    return format == Format.IDX ? List.of(file.name(), file.name() + ".gz") : List.of(file.name());
  }

  /** The fetch command for this data set. */
  public String fetchCommand() {
    return "resbench data fetch " + name;
  }
}
