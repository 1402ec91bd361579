package org.resbench.harness.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.resbench.harness.data.DatasetDescriptor.Archive;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.DatasetDescriptor.Format;
import org.resbench.harness.data.DatasetDescriptor.SystemPlace;
import org.resbench.harness.spec.Shape;

/**
 * Small data sets that tests write in the real formats (IDX, CIFAR-10 binary, tar.gz), with descriptors that
 * pin their checksums. Shared with the experiments module's tests through the harness test-jar.
 */
public final class DataFixtures {
  private DataFixtures() {}

  /**
   * A small data set: its images, its descriptor, and the bytes of each file (uncompressed) by name.
   *
   * @param archive a tar.gz of the files inside {@code descriptor.archive().memberDir()}, or null
   */
  public record Tiny(RawImages train, RawImages test, DatasetDescriptor descriptor, Map<String, byte[]> files,
      byte[] archive) {

    /** Writes every file into {@code dir} (created), gzipped ({@code .gz} names) when asked. */
    public Path write(Path dir, boolean gzip) {
      try {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
          if (gzip) {
            Files.write(dir.resolve(e.getKey() + ".gz"), gzip(e.getValue()));
          } else {
            Files.write(dir.resolve(e.getKey()), e.getValue());
          }
        }
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Random images whose labels are in [0, classes). */
  public static RawImages images(String source, int n, Shape shape, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[n * shape.size()];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) r.nextInt(classes);
    }
    return new RawImages(source, n, shape, px, labels);
  }

  /** An IDX image file (magic 2051) of {@code r}. */
  public static byte[] idxImages(RawImages r) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeInt(b, IdxFormat.IMAGES_MAGIC);
    writeInt(b, r.count());
    writeInt(b, r.shape().dim(1));
    writeInt(b, r.shape().dim(2));
    b.writeBytes(r.pixels());
    return b.toByteArray();
  }

  /** An IDX label file (magic 2049) of {@code r}. */
  public static byte[] idxLabels(RawImages r) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeInt(b, IdxFormat.LABELS_MAGIC);
    writeInt(b, r.count());
    b.writeBytes(r.labels());
    return b.toByteArray();
  }

  /** A CIFAR-10 binary batch of {@code r} (3x32x32 images). */
  public static byte[] cifarBatch(RawImages r) {
    byte[] out = new byte[r.count() * CifarFormat.RECORD_BYTES];
    int n = r.shape().size();
    for (int i = 0; i < r.count(); i++) {
      out[i * CifarFormat.RECORD_BYTES] = r.labels()[i];
      System.arraycopy(r.pixels(), i * n, out, i * CifarFormat.RECORD_BYTES + 1, n);
    }
    return out;
  }

  /** A small IDX data set of 6x6 grey images in 3 classes, its checksums pinned. */
  public static Tiny tinyIdx(String name, int trainN, int testN, long seed) {
    Shape shape = Shape.of(1, 6, 6);
    RawImages train = images("train", trainN, shape, 3, seed);
    RawImages test = images("test", testN, shape, 3, seed + 1);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("train-images-idx3-ubyte", idxImages(train));
    files.put("train-labels-idx1-ubyte", idxLabels(train));
    files.put("t10k-images-idx3-ubyte", idxImages(test));
    files.put("t10k-labels-idx1-ubyte", idxLabels(test));
    List<FileSpec> specs = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      specs.add(new FileSpec(e.getKey(), DataFile.sha256(e.getValue()), null));
    }
    DatasetDescriptor d = new DatasetDescriptor(name, "Tiny " + name, Format.IDX, shape, List.of("a", "b", "c"),
        specs.subList(0, 2), specs.subList(2, 4), trainN, testN, false, List.of(),
        List.of(new SystemPlace("/usr/share/datasets/" + name, "test package " + name)), null,
        "put the tiny files into ~/.resbench/data/" + name);
    return new Tiny(train, test, d, files, null);
  }

  /**
   * A small CIFAR-10-format data set (3x32x32, 10 classes) with one training batch per entry of
   * {@code trainBatches}; no per-file checksums are pinned, but its tar.gz archive's is.
   */
  public static Tiny tinyCifar(String name, int[] trainBatches, int testN, long seed) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<RawImages> parts = new ArrayList<>();
    List<FileSpec> train = new ArrayList<>();
    int total = 0;
    for (int i = 0; i < trainBatches.length; i++) {
      RawImages r = images("data_batch_" + (i + 1) + ".bin", trainBatches[i], CifarFormat.SHAPE, 10, seed + i);
      parts.add(r);
      files.put("data_batch_" + (i + 1) + ".bin", cifarBatch(r));
      train.add(new FileSpec("data_batch_" + (i + 1) + ".bin", null, null));
      total += trainBatches[i];
    }
    RawImages test = images("test_batch.bin", testN, CifarFormat.SHAPE, 10, seed + 100);
    files.put("test_batch.bin", cifarBatch(test));
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("cifar-10-batches-bin/", null);
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      entries.put("cifar-10-batches-bin/" + e.getKey(), e.getValue());
    }
    entries.put("cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes(StandardCharsets.UTF_8));
    byte[] archive = gzip(tar(entries));
    DatasetDescriptor d = new DatasetDescriptor(name, "Tiny " + name, Format.CIFAR_BINARY, CifarFormat.SHAPE,
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train,
        List.of(new FileSpec("test_batch.bin", null, null)), total, testN, true, List.of("cifar-10-batches-bin"),
        List.of(), new Archive(name + ".tar.gz", "http://127.0.0.1:1/" + name + ".tar.gz", DataFile.sha256(archive),
            archive.length, "cifar-10-batches-bin"), "supply the tiny archive");
    return new Tiny(RawImages.concat(name + "/train", parts), test, d, files, archive);
  }

  /** gzip of {@code bytes}. */
  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b)) {
      g.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  /** A POSIX ustar archive of the entries in order; a null value makes a folder entry. */
  public static byte[] tar(Map<String, byte[]> entries) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      byte[] content = e.getValue() == null ? new byte[0] : e.getValue();
      byte[] h = new byte[512];
      put(h, 0, e.getKey(), 100);
      put(h, 100, "0000644", 8);
      put(h, 108, "0001750", 8);
      put(h, 116, "0001750", 8);
      put(h, 124, String.format("%011o", content.length), 12);
      put(h, 136, String.format("%011o", 1_600_000_000L), 12);
      h[156] = (byte) (e.getValue() == null ? '5' : '0');
      put(h, 257, "ustar", 6);
      put(h, 263, "00", 2);
      for (int i = 148; i < 156; i++) {
        h[i] = ' ';
      }
      long sum = 0;
      for (byte x : h) {
        sum += x & 0xff;
      }
      put(h, 148, String.format("%06o", sum) + "\0 ", 8);
      b.writeBytes(h);
      b.writeBytes(content);
      b.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }
    b.writeBytes(new byte[1024]);
    return b.toByteArray();
  }

  private static void put(byte[] h, int at, String s, int len) {
    byte[] v = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(v, 0, h, at, Math.min(v.length, len));
  }

  private static void writeInt(ByteArrayOutputStream b, int v) {
    b.write(v >>> 24);
    b.write(v >>> 16);
    b.write(v >>> 8);
    b.write(v);
  }

  /** An environment with no variables, its home and system root under {@code dir}: independent of the machine. */
  public static DataEnvironment isolated(Path dir) {
    return new DataEnvironment(Map.of(), dir.resolve("home"), dir.resolve("sysroot"));
  }
}
