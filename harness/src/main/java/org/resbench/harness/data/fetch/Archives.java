package org.resbench.harness.data.fetch;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.resbench.harness.data.DataFile;
import org.resbench.harness.data.ProgressListener;

/** Unpacks chosen files from a tar or tar.gz archive, with progress over the archive's bytes. */
final class Archives {
  private Archives() {}

  /**
   * Extracts the regular files whose name is in {@code wanted} and whose folder inside the archive is
   * {@code memberDir} (any folder when null) into {@code dest}, flat, under their own names. Paths in the
   * archive never decide where a file is written, so a hostile archive cannot escape {@code dest}.
   *
   * @return the names extracted
   */
  static List<String> extract(Path archive, String memberDir, Set<String> wanted, Path dest, ProgressListener progress)
      throws IOException {
    List<String> done = new ArrayList<>();
    long size = Files.size(archive);
    try (ProgressListener.Task task = progress.start("unpacking " + archive.getFileName(), size);
         InputStream raw = new Counting(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), task)) {
      raw.mark(2);
      byte[] magic = raw.readNBytes(2);
      raw.reset();
      InputStream tar = DataFile.isGzip(magic) ? new GZIPInputStream(raw, 1 << 16) : raw;
      TarReader.read(tar, archive.getFileName().toString(), (path, len, content) -> {
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        String dir = slash < 0 ? "" : path.substring(0, slash);
        while (dir.startsWith("./")) {
          dir = dir.substring(2);
        }
        if (wanted.contains(name) && (memberDir == null || dir.equals(memberDir)) && !done.contains(name)) {
          try (OutputStream out = Files.newOutputStream(dest.resolve(name))) {
            content.transferTo(out);
          }
          done.add(name);
        }
      });
    }
    return done;
  }

  /** Reports bytes read from the underlying file. */
  private static final class Counting extends FilterInputStream {
    private final ProgressListener.Task task;
    private long marked;
    private long count;

    Counting(InputStream in, ProgressListener.Task task) {
      super(in);
      this.task = task;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
        task.set(count);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
        task.set(count);
      }
      return n;
    }

    @Override
    public synchronized void mark(int limit) {
      in.mark(limit);
      marked = count;
    }

    @Override
    public synchronized void reset() throws IOException {
      in.reset();
      count = marked;
    }
  }
}
