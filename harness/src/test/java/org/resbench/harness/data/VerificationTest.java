package org.resbench.harness.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.data.Verification.Verdict;

/** Checksum verdicts of located data sets: pinned, manifest, unknown, and broken files. */
class VerificationTest {
  @TempDir
  Path tmp;

  private DataLocator.Location locate(DatasetDescriptor d, Path dir) {
    return DataLocator.in(dir, d, "test").orElseThrow();
  }

  @Test
  void pinnedChecksumsVerifyGzippedAndPlainFiles() {
    DataFixtures.Tiny t = DataFixtures.tinyIdx("tiny", 12, 4, 1);
    for (boolean gz : new boolean[] {false, true}) {
      Path dir = t.write(tmp.resolve("gz" + gz), gz);
      Verification.Report r = Verification.check(locate(t.descriptor(), dir), ProgressListener.SILENT);
      assertEquals(Verdict.VERIFIED, r.verdict(), r.summary());
      assertEquals(12, r.trainCount());
      assertEquals(4, r.testCount());
      assertEquals("verified (4/4 files, sha256)", r.summary());
    }
  }

  @Test
  void aChangedFileIsAMismatch() throws IOException {
    DataFixtures.Tiny t = DataFixtures.tinyIdx("tiny", 12, 4, 1);
    Path dir = t.write(tmp.resolve("d"), false);
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), DataFixtures.idxLabels(t.train()));
    Verification.Report r = Verification.check(locate(t.descriptor(), dir), ProgressListener.SILENT);
    assertEquals(Verdict.MISMATCH, r.verdict());
    assertTrue(r.summary().contains("t10k-labels-idx1-ubyte: checksum mismatch"), r.summary());
    assertTrue(r.summary().contains("image/label count mismatch: 12 labels for 4 images"), r.summary());
  }

  @Test
  void unpinnedFilesUseTheManifestOrStayUnverified() throws IOException {
    DataFixtures.Tiny c = DataFixtures.tinyCifar("tinycifar", new int[] {2, 2}, 1, 3);
    Path dir = c.write(tmp.resolve("c"), false);
    Verification.Report r = Verification.check(locate(c.descriptor(), dir), ProgressListener.SILENT);
    assertEquals(Verdict.UNVERIFIED, r.verdict());
    assertEquals("unverified (no checksum known for 3/3 files)", r.summary());
    StringBuilder m = new StringBuilder("# test\n");
    for (String f : c.files().keySet()) {
      m.append(DataFile.sha256(c.files().get(f))).append("  ").append(f).append('\n');
    }
    Files.writeString(dir.resolve(Verification.MANIFEST), m);
    assertEquals(Verdict.VERIFIED, Verification.check(locate(c.descriptor(), dir), ProgressListener.SILENT).verdict());
    Files.write(dir.resolve("test_batch.bin"), c.files().get("data_batch_1.bin"));
    Verification.Report bad = Verification.check(locate(c.descriptor(), dir), ProgressListener.SILENT);
    assertEquals(Verdict.MISMATCH, bad.verdict());
    assertTrue(bad.summary().contains("SHA256SUMS lists"), bad.summary());
  }

  @Test
  void malformedFilesAreReportedNotThrown() throws IOException {
    DataFixtures.Tiny c = DataFixtures.tinyCifar("tinycifar", new int[] {2}, 1, 3);
    Path dir = c.write(tmp.resolve("c"), false);
    Files.write(dir.resolve("data_batch_1.bin"), new byte[100]);
    Verification.Report r = Verification.check(locate(c.descriptor(), dir), ProgressListener.SILENT);
    assertEquals(Verdict.MISMATCH, r.verdict());
    assertEquals(-1, r.trainCount());
    assertTrue(r.summary().contains("not a whole number of 3073-byte records"), r.summary());
  }
}
