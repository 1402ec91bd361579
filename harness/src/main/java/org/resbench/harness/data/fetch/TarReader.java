package org.resbench.harness.data.fetch;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of tar archives (POSIX ustar, with GNU long names and pax paths), enough for npm
 * packages and CIFAR-10's archive: it yields each regular file's path and content and skips everything else.
 * Header checksums are checked, so a corrupt or truncated archive fails with a message. Not thread-safe.
 */
final class TarReader {
  private static final int BLOCK = 512;

  /** Receives each regular file; it may read {@code content} (bounded to the entry) or leave it. */
  interface EntryHandler {
    void entry(String path, long size, InputStream content) throws IOException;
  }

  private TarReader() {}

  /** Reads every entry of the (uncompressed) tar stream {@code in}. */
  static void read(InputStream in, String archiveName, EntryHandler handler) throws IOException {
    byte[] header = new byte[BLOCK];
    String longName = null;
    while (true) {
      int got = in.readNBytes(header, 0, BLOCK);
      if (got == 0) {
        return; // end of stream without the two zero blocks: accepted, as GNU tar does
      }
      if (got < BLOCK) {
        throw new EOFException(archiveName + ": truncated tar archive (a header of " + got + " bytes)");
      }
      if (allZero(header)) {
        return;
      }
      checkChecksum(header, archiveName);
      String name = string(header, 0, 100);
      long size = number(header, 124, 12, archiveName);
      char type = (char) header[156];
      if ("ustar".equals(string(header, 257, 5))) {
        String prefix = string(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      if (longName != null) {
        name = longName;
        longName = null;
      }
      Bounded content = new Bounded(in, size, archiveName);
      if (type == 'L') {
        longName = trimNul(new String(content.readAllBytes(), StandardCharsets.UTF_8));
      } else if (type == 'x') {
        longName = paxPath(new String(content.readAllBytes(), StandardCharsets.UTF_8));
      } else if (type == '0' || type == '\0' || type == '7') {
        handler.entry(name, size, content);
      }
      content.skipRest();
      long pad = (BLOCK - size % BLOCK) % BLOCK;
      try {
        in.skipNBytes(pad);
      } catch (EOFException e) {
        throw new EOFException(archiveName + ": truncated tar archive (padding of " + name + ")");
      }
    }
  }

  private static String paxPath(String records) {
    for (String line : records.split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0 && line.startsWith("path=", sp + 1)) {
        return line.substring(sp + 6);
      }
    }
    return null;
  }

  private static void checkChecksum(byte[] h, String archiveName) throws IOException {
    long stored = number(h, 148, 8, archiveName);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != stored) {
      throw new IOException(archiveName + ": corrupt tar header (checksum " + stored + ", computed " + sum + ")");
    }
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(byte[] b, int from, int len) {
    int end = from;
    while (end < from + len && b[end] != 0) {
      end++;
    }
    return new String(b, from, end - from, StandardCharsets.UTF_8);
  }

  private static String trimNul(String s) {
    int i = s.indexOf('\0');
    return i < 0 ? s : s.substring(0, i);
  }

  private static long number(byte[] b, int from, int len, String archiveName) throws IOException {
    if ((b[from] & 0x80) != 0) { // GNU base-256
      long v = b[from] & 0x7f;
      for (int i = from + 1; i < from + len; i++) {
        v = (v << 8) | (b[i] & 0xff);
      }
      return v;
    }
    String s = string(b, from, len).trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException(archiveName + ": corrupt tar header (number '" + s + "')", e);
    }
  }

  /** The content of one entry: at most {@code size} bytes; an early end of the archive is an error. */
  private static final class Bounded extends FilterInputStream {
    private long left;
    private final String archiveName;

    Bounded(InputStream in, long size, String archiveName) {
      super(in);
      this.left = size;
      this.archiveName = archiveName;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException(archiveName + ": truncated tar archive (an entry ends early)");
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException(archiveName + ": truncated tar archive (an entry ends early)");
      }
      left -= n;
      return n;
    }

    @Override
    public void close() {
      // the archive stream stays open for the next entry
    }

    void skipRest() throws IOException {
      byte[] buf = new byte[8192];
      while (left > 0) {
        if (read(buf, 0, buf.length) < 0) {
          break;
        }
      }
    }
  }
}
