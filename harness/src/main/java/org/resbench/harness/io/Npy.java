package org.resbench.harness.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npy} and {@code .npz} formats, so numbers go to and come from the tools researchers trust
 * ({@code numpy.load}, PyTorch, notebooks). Written here because no maintained Java library on Maven Central
 * reads and writes them without pulling in a tensor framework; the reader is kept small and strict.
 *
 * <p>Read: format versions 1.0, 2.0 and 3.0; little-endian {@code <f4}, {@code <f8}, {@code <i8} (and
 * {@code |}-less spellings NumPy writes for them); C order. Anything else (big-endian, Fortran order, other
 * types, object arrays, a truncated file, a shape that does not match the data) is refused with a message
 * naming the file and the defect. Nothing is allocated beyond what the file holds: the declared shape is
 * checked against the bytes present before any array is made. Write: version 1.0 (2.0 when the header needs
 * it), header padded to 64 bytes as NumPy does. A {@code .npz} is a zip of {@code NAME.npy} entries; it is
 * written uncompressed, as {@code numpy.savez} does, and read compressed or not. Stateless and thread-safe.
 */
public final class Npy {
  private Npy() {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  /** Largest header accepted (NumPy's own limit for safe loading is 10,000 bytes). */
  static final int MAX_HEADER = 1 << 16;

  /** Reads one {@code .npy} file. */
  public static NpyArray read(Path file) {
    byte[] bytes = readBounded(file);
    return read(bytes, file.toString());
  }

  /** Parses {@code .npy} bytes; {@code source} names them in messages. */
  public static NpyArray read(byte[] bytes, String source) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
      throw bad(source, "not a .npy file (it does not start with the magic \\x93NUMPY)", "a file written by "
          + "numpy.save");
    }
    int major = bytes[6] & 0xff;
    int headerLength;
    int offset;
    if (major == 1) {
      headerLength = b.getShort(8) & 0xffff;
      offset = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw bad(source, "truncated header", "a complete .npy file");
      }
      long len = b.getInt(8) & 0xffffffffL;
      if (len > MAX_HEADER) {
        throw bad(source, "header of " + len + " bytes", "at most " + MAX_HEADER + " bytes");
      }
      headerLength = (int) len;
      offset = 12;
    } else {
      throw bad(source, "format version " + major + "." + (bytes[7] & 0xff), "versions 1.0, 2.0 and 3.0");
    }
    if (bytes.length < offset + headerLength) {
      throw bad(source, "truncated header (" + bytes.length + " bytes, header needs " + (offset + headerLength)
          + ")", "a complete .npy file");
    }
    String header = new String(bytes, offset, headerLength, major == 3 ? StandardCharsets.UTF_8
        : StandardCharsets.ISO_8859_1);
    NpyArray.Dtype dtype = dtype(header, source);
    Matcher f = FORTRAN.matcher(header);
    if (!f.find()) {
      throw bad(source, "header without 'fortran_order'", "a header as numpy.save writes it");
    }
    if (f.group(1).equals("True")) {
      throw bad(source, "Fortran (column-major) order", "C order (numpy.ascontiguousarray before saving)");
    }
    int[] shape = shape(header, source);
    long count;
    try {
      count = NpyArray.size(shape);
    } catch (ArithmeticException e) {
      count = Long.MAX_VALUE;
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw bad(source, "shape " + Arrays.toString(shape) + " is too large", "arrays of fewer than 2^31 elements");
    }
    int start = offset + headerLength;
    long available = bytes.length - start;
    if (count > available / dtype.bytes() || count * dtype.bytes() != available) {
      throw bad(source, "shape " + Arrays.toString(shape) + " of " + dtype.descr() + " needs "
          + (count > Long.MAX_VALUE / 8 ? "too many" : String.valueOf(count * dtype.bytes())) + " bytes of data but "
          + available + " follow the header", "a complete, untruncated file");
    }
    b.position(start);
    int n = (int) count;
    Object data = switch (dtype) {
      case FLOAT32 -> {
        float[] a = new float[n];
        b.asFloatBuffer().get(a);
        yield a;
      }
      case FLOAT64 -> {
        double[] a = new double[n];
        b.asDoubleBuffer().get(a);
        yield a;
      }
      case INT64 -> {
        long[] a = new long[n];
        b.asLongBuffer().get(a);
        yield a;
      }
    };
    return new NpyArray(dtype, shape, data);
  }

  /** The {@code .npy} bytes of {@code array}. */
  public static byte[] bytes(NpyArray array) {
    String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': "
        + shapeTuple(array.shape()) + ", }";
    int prefix = 10;
    int total = prefix + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    boolean v2 = padded - prefix > 0xffff;
    if (v2) {
      prefix = 12;
      padded = (prefix + dict.length() + 1 + 63) / 64 * 64;
    }
    int headerLength = padded - prefix;
    long dataBytes = (long) array.size() * array.dtype().bytes();
    if (padded + dataBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("npy array of " + array.size() + " " + array.dtype().descr()
          + " elements is too large; allowed: under 2 GiB");
    }
    ByteBuffer b = ByteBuffer.allocate((int) (padded + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
    if (v2) {
      b.putInt(headerLength);
    } else {
      b.putShort((short) headerLength);
    }
    b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
    while (b.position() < padded - 1) {
      b.put((byte) ' ');
    }
    b.put((byte) '\n');
    switch (array.dtype()) {
      case FLOAT32 -> b.asFloatBuffer().put((float[]) array.data());
      case FLOAT64 -> b.asDoubleBuffer().put((double[]) array.data());
      case INT64 -> b.asLongBuffer().put((long[]) array.data());
      default -> throw new IllegalStateException();
    }
    return b.array();
  }

  /** Writes {@code array} to {@code file} atomically. */
  public static Path write(Path file, NpyArray array) {
    return AtomicFiles.write(file, bytes(array));
  }

  /** The {@code .npz} bytes of named arrays (uncompressed entries {@code NAME.npy}, in the map's order). */
  public static byte[] npzBytes(Map<String, NpyArray> arrays) {
    return npzBytes(arrays, Map.of());
  }

  /**
   * The {@code .npz} bytes of named arrays followed by other files (e.g. a JSON description), which
   * {@code numpy.load} lists but does not parse.
   */
  public static byte[] npzBytes(Map<String, NpyArray> arrays, Map<String, byte[]> otherFiles) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
        stored(zip, e.getKey() + ".npy", bytes(e.getValue()));
      }
      for (Map.Entry<String, byte[]> e : otherFiles.entrySet()) {
        stored(zip, e.getKey(), e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** One other file of a {@code .npz}, at most {@code maxBytes} long; empty when it has no such entry. */
  public static java.util.Optional<byte[]> npzFile(Path file, String name, int maxBytes) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry e = zip.getEntry(name);
      if (e == null) {
        return java.util.Optional.empty();
      }
      try (InputStream in = zip.getInputStream(e)) {
        byte[] b = in.readNBytes(maxBytes + 1);
        if (b.length > maxBytes) {
          throw bad(file + "!" + name, "entry larger than " + maxBytes + " bytes", "at most " + maxBytes);
        }
        return java.util.Optional.of(b);
      }
    } catch (java.util.zip.ZipException e) {
      throw new IllegalArgumentException(file + ": not a readable .npz (zip) file (" + e.getMessage()
          + "); allowed: a file written by numpy.savez or resbench");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void stored(ZipOutputStream zip, String name, byte[] b) throws IOException {
    ZipEntry z = new ZipEntry(name);
    z.setMethod(ZipEntry.STORED);
    z.setSize(b.length);
    z.setCompressedSize(b.length);
    CRC32 crc = new CRC32();
    crc.update(b);
    z.setCrc(crc.getValue());
    z.setTime(0);
    zip.putNextEntry(z);
    zip.write(b);
    zip.closeEntry();
  }

  /** Writes named arrays as a {@code .npz} file, atomically. */
  public static Path writeNpz(Path file, Map<String, NpyArray> arrays) {
    return AtomicFiles.write(file, npzBytes(arrays));
  }

  /**
   * Reads every {@code NAME.npy} entry of a {@code .npz} file (other entries are ignored), in the file's order.
   * An entry may not decompress to more than {@code maxEntryBytes}.
   */
  public static Map<String, NpyArray> readNpz(Path file, long maxEntryBytes) {
    Map<String, NpyArray> out = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      var entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (e.isDirectory() || !e.getName().endsWith(".npy")) {
          continue;
        }
        String source = file + "!" + e.getName();
        try (InputStream in = zip.getInputStream(e)) {
          byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxEntryBytes + 1));
          if (b.length > maxEntryBytes) {
            throw bad(source, "entry larger than " + maxEntryBytes + " bytes", "entries that fit in memory");
          }
          out.put(e.getName().substring(0, e.getName().length() - 4), read(b, source));
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw new IllegalArgumentException(file + ": not a readable .npz (zip) file (" + e.getMessage()
          + "); allowed: a file written by numpy.savez or resbench");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static NpyArray.Dtype dtype(String header, String source) {
    Matcher m = DESCR.matcher(header);
    if (!m.find()) {
      throw bad(source, "header without 'descr'", "a header as numpy.save writes it");
    }
    String d = m.group(1);
    for (NpyArray.Dtype t : NpyArray.Dtype.values()) {
      if (t.descr().equals(d)) {
        return t;
      }
    }
    throw bad(source, "element type '" + d + "'", "little-endian float32 '<f4', float64 '<f8' or int64 '<i8' "
        + "(convert with array.astype('<f4'))");
  }

  private static int[] shape(String header, String source) {
    Matcher m = SHAPE.matcher(header);
    if (!m.find()) {
      throw bad(source, "header without 'shape'", "a header as numpy.save writes it");
    }
    String inner = m.group(1).trim();
    if (inner.isEmpty()) {
      return new int[0];
    }
    String[] parts = inner.split(",");
    int n = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
    int[] shape = new int[n];
    for (int i = 0; i < n; i++) {
      String p = parts[i].trim().replace("L", "");
      try {
        long v = Long.parseLong(p);
        if (v < 0 || v > Integer.MAX_VALUE) {
          throw bad(source, "dimension " + p + " in shape (" + inner + ")", "sizes 0.." + Integer.MAX_VALUE);
        }
        shape[i] = (int) v;
      } catch (NumberFormatException e) {
        throw bad(source, "dimension '" + p + "' in shape (" + inner + ")", "whole numbers");
      }
    }
    return shape;
  }

  private static String shapeTuple(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return s.append(")").toString();
  }

  private static byte[] readBounded(Path file) {
    try {
      long size = Files.size(file);
      if (size > Integer.MAX_VALUE - 8) {
        throw bad(file.toString(), "file of " + size + " bytes", "files under 2 GiB");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException bad(String source, String what, String allowed) {
    return new IllegalArgumentException(source + ": " + what + "; allowed: " + allowed);
  }
}
