package org.resbench.harness.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.resbench.harness.io.IoMessages;

/**
 * One data file read into memory: its stored bytes and its content (the same bytes, or their gunzipped form
 * when the file starts with the gzip magic number, whatever its name). Checksums are computed on demand and
 * cached. Immutable after construction apart from that cache; not thread-safe.
 */
public final class DataFile {
  private final Path path;
  private final byte[] stored;
  private final byte[] content;
  private String storedSha256;
  private String contentSha256;

  private DataFile(Path path, byte[] stored, byte[] content) {
    this.path = path;
    this.stored = stored;
    this.content = content;
  }

  /**
   * Reads {@code path} and gunzips it if it is gzip-compressed.
   *
   * @throws DataFormatException if the gzip stream is truncated or corrupt
   * @throws UncheckedIOException if the file cannot be read
   */
  public static DataFile read(Path path) {
    byte[] stored;
    try {
      stored = Files.readAllBytes(path);
    } catch (IOException e) {
      throw IoMessages.unchecked("read", path, e);
    }
    return new DataFile(path, stored, isGzip(stored) ? gunzip(path, stored) : stored);
  }

  /** Whether {@code bytes} start with the gzip magic number 1f 8b. */
  public static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  /** The first {@code n} content bytes of a file (gunzipped if needed), or fewer if the content is shorter. */
  public static byte[] head(Path path, int n) {
    try (InputStream raw = Files.newInputStream(path)) {
      byte[] magic = raw.readNBytes(2);
      InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(magic), raw);
      if (isGzip(magic)) {
        in = new GZIPInputStream(in);
      }
      return in.readNBytes(n);
    } catch (EOFException | ZipException e) {
      throw new DataFormatException(path, "corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw IoMessages.unchecked("read", path, e);
    }
  }

  private static byte[] gunzip(Path path, byte[] stored) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored), 1 << 16)) {
      return in.readAllBytes();
    } catch (EOFException e) {
      throw new DataFormatException(path, "truncated: the gzip stream ends early (" + stored.length
          + " bytes stored)", e);
    } catch (IOException e) {
      throw new DataFormatException(path, "corrupt gzip stream (" + e.getMessage() + ")", e);
    }
  }

  public Path path() {
    return path;
  }

  public boolean gzipped() {
    return content != stored;
  }

  /** The uncompressed content (not a copy: do not modify). */
  public byte[] content() {
    return content;
  }

  /** The number of bytes stored on disk. */
  public long storedSize() {
    return stored.length;
  }

  /** SHA-256 of the bytes as stored, lower-case hex. */
  public String storedSha256() {
    if (storedSha256 == null) {
      storedSha256 = sha256(stored);
    }
    return storedSha256;
  }

  /** SHA-256 of the uncompressed content, lower-case hex (equal to {@link #storedSha256} when not gzipped). */
  public String contentSha256() {
    if (contentSha256 == null) {
      contentSha256 = gzipped() ? sha256(content) : storedSha256();
    }
    return contentSha256;
  }

  /** SHA-256 of {@code bytes}, lower-case hex. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** SHA-256 of a file's stored bytes, streamed, lower-case hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
    }
  }
}
