package org.resbench.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsStoreTest {

  static RunRecord record(String id, String experiment, String start) {
    Provenance p = new Provenance(Map.of("steps", 20, "specs", List.of("resnet-8")), "abc", List.of(
        new BackendInfo("reference", "resbench reference", "0.1", "cpu")), 2, Map.of("weights", 1L),
        Map.of("jvm", "x"), "0.1.0", "deadbeef", start, start);
    SampleData d = new SampleData(List.of("resnet-8"), new double[] {2.3, 2.2, 2.1});
    return new RunRecord(RunRecord.SCHEMA, id, experiment, "smoke", RunStatus.PASSED, List.of("note"), p, d);
  }

  @Test
  void writeThenReadRoundTripsEveryField(@TempDir Path dir) {
    ResultsStore store = new ResultsStore(dir);
    RunRecord r = record("20261123-100000-parity-aaaa", "parity", "2026-11-23T10:00:00Z");
    Path folder = store.write(r);
    assertTrue(Files.isRegularFile(folder.resolve("run.json")));
    RunRecord back = store.get(r.id());
    assertEquals(r.id(), back.id());
    assertEquals(r.provenance(), back.provenance());
    SampleData d = (SampleData) back.data();
    assertEquals(((SampleData) r.data()).specs(), d.specs());
    assertArrayEquals(new double[] {2.3, 2.2, 2.1}, d.losses());
    assertEquals(List.of("note"), back.messages());
  }

  @Test
  void listIsOrderedByStartAndIgnoresPartialFolders(@TempDir Path dir) throws Exception {
    ResultsStore store = new ResultsStore(dir);
    store.write(record("b-run", "parity", "2026-11-23T11:00:00Z"));
    store.write(record("a-run", "shattered", "2026-11-23T12:00:00Z"));
    Files.createDirectories(dir.resolve(".c-run.partial"));
    Files.writeString(dir.resolve(".c-run.partial").resolve("run.json"), "{ half");
    assertEquals(List.of("b-run", "a-run"), store.list().stream().map(RunRecord::id).toList());
    assertEquals("a-run", store.latest(null).orElseThrow().id());
    assertEquals("b-run", store.latest("parity").orElseThrow().id());
    assertEquals("a-run", store.get("a-").id());
  }

  @Test
  void unknownAmbiguousAndDuplicateIdsAreRejected(@TempDir Path dir) {
    ResultsStore store = new ResultsStore(dir);
    store.write(record("run-1", "parity", "2026-11-23T11:00:00Z"));
    store.write(record("run-2", "parity", "2026-11-23T12:00:00Z"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> store.get("run-")).getMessage()
        .contains("matches 2 runs"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> store.get("zzz")).getMessage()
        .contains("no run 'zzz'"));
    assertThrows(IllegalArgumentException.class, () -> store.write(record("run-1", "parity", "x")));
    assertThrows(IllegalArgumentException.class, () -> record("bad id/..", "parity", "x"));
  }

  @Test
  void anUnwritableFolderFailsFastWithAClearMessage(@TempDir Path dir) throws Exception {
    Path locked = dir.resolve("locked");
    Files.createDirectories(locked);
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    Assumptions.assumeFalse(Files.isWritable(locked), "running as a user who can write anywhere (root?)");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> new ResultsStore(locked.resolve("results")).requireWritable());
    assertTrue(e.getMessage().contains("is not writable"), e.getMessage());
  }

  @Test
  void aFileInTheWayIsReportedEvenForRoot(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("not-a-dir");
    Files.writeString(file, "x");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> new ResultsStore(file.resolve("results")).requireWritable());
    assertTrue(e.getMessage().contains("is not writable"), e.getMessage());
    assertFalse(Files.exists(file.resolve("results")));
  }

  @Test
  void malformedRecordsNameTheFileWhenNamed(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("x"));
    Files.writeString(dir.resolve("x").resolve("run.json"), "{\"schema\": [}");
    assertEquals(List.of(), new ResultsStore(dir).list());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ResultsStore(dir).get("x"));
    assertTrue(e.getMessage().contains("run.json") && e.getMessage().contains("line 1"), e.getMessage());
  }

  /** Issue 17, class 2: one damaged record is listed and skipped; only naming it fails. */
  @Test
  void damagedRecordsAreListedWithTheReasonAndSkipped(@TempDir Path dir) throws Exception {
    ResultsStore store = new ResultsStore(dir);
    store.write(record("20261123-110000-parity-aaaa", "parity", "2026-11-23T11:00:00Z"));
    store.write(record("20261123-120000-parity-bbbb", "parity", "2026-11-23T12:00:00Z"));
    // A crash mid-write of an older tool, or a disk error: a truncated record.
    Path good = dir.resolve("20261123-120000-parity-bbbb").resolve("run.json");
    String json = Files.readString(good);
    Path truncated = Files.createDirectories(dir.resolve("20261123-130000-parity-cccc")).resolve("run.json");
    Files.writeString(truncated, json.substring(0, json.length() / 2));
    // A record that is a symbolic link to a secret, and one that is a folder.
    Path secret = Files.writeString(dir.getParent().resolve(dir.getFileName() + "-secret.txt"), "TOP-SECRET-CONTENT");
    Files.createSymbolicLink(Files.createDirectories(dir.resolve("20261123-140000-parity-dddd")).resolve("run.json"),
        secret);
    Files.createDirectories(dir.resolve("20261123-150000-parity-eeee").resolve("run.json"));
    // Not JSON at all, and a folder resbench would have written with no record in it.
    Files.writeString(Files.createDirectories(dir.resolve("20261123-160000-parity-ffff")).resolve("run.json"),
        "TOP-SECRET-CONTENT is not json");
    Files.createDirectories(dir.resolve("20261123-170000-parity-0000"));
    // A user's own folder beside the runs is not a run.
    Files.createDirectories(dir.resolve("notes"));

    ResultsStore.Listing l = store.scan();
    assertEquals(List.of("20261123-110000-parity-aaaa", "20261123-120000-parity-bbbb"),
        l.runs().stream().map(RunRecord::id).toList());
    assertEquals(List.of("20261123-130000-parity-cccc", "20261123-140000-parity-dddd", "20261123-150000-parity-eeee",
        "20261123-160000-parity-ffff", "20261123-170000-parity-0000"),
        l.damaged().stream().map(ResultsStore.Damaged::id).toList());
    for (ResultsStore.Damaged d : l.damaged()) {
      assertFalse(d.reason().contains("TOP-SECRET"), "content must not be echoed: " + d.reason());
      assertFalse(d.reason().contains("Exception") || d.reason().contains("java."), d.reason());
    }
    assertTrue(l.damaged().get(0).reason().startsWith("ends early"), "the reason alone: " + l.damaged().get(0)
        .reason());
    assertTrue(l.damaged().get(1).reason().contains("is a symbolic link"), l.damaged().get(1).reason());
    assertTrue(l.damaged().get(2).reason().contains("is a folder"), l.damaged().get(2).reason());
    assertTrue(l.damaged().get(3).reason().contains("not valid JSON at line 1"), l.damaged().get(3).reason());
    assertTrue(l.damaged().get(4).reason().contains("has no run.json"), l.damaged().get(4).reason());
    assertEquals("20261123-120000-parity-bbbb", store.latest("parity").orElseThrow().id());
    assertEquals("20261123-110000-parity-aaaa", store.get("20261123-11").id());

    // Naming a damaged record, exactly or by a unique prefix, fails with the reason.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.get("20261123-13"));
    assertTrue(e.getMessage().contains("20261123-130000-parity-cccc") && e.getMessage().contains("ends early"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> store.get("20261123-140000-parity-dddd"));
    assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
  }

  @Test
  void abandonedPartialFoldersAreListedThenRemovedByTheNextWrite(@TempDir Path dir) throws Exception {
    ResultsStore store = new ResultsStore(dir);
    Path old = Files.createDirectories(dir.resolve(".20261123-100000-parity-dead.partial"));
    Files.writeString(old.resolve("run.json"), "{ half");
    Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(ResultsStore.ABANDONED_AFTER).minusSeconds(60)));
    Path fresh = Files.createDirectories(dir.resolve(".20261123-100001-parity-beef.partial"));
    assertEquals(List.of(old), store.scan().abandoned());
    store.write(record("20261123-110000-parity-aaaa", "parity", "2026-11-23T11:00:00Z"));
    assertFalse(Files.exists(old), "an abandoned temporary run folder is deleted by the next write");
    assertTrue(Files.exists(fresh), "a run that may still be writing is left alone");
    assertEquals(List.of(), store.scan().abandoned());
  }

  @Test
  void aResultsPathThatIsAFileIsAnError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("results.txt"), "x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ResultsStore(file).scan());
    assertTrue(e.getMessage().contains("is a file; allowed: a folder of runs"), e.getMessage());
    assertEquals(List.of(), new ResultsStore(dir.resolve("absent")).list(), "a missing folder is an empty store");
  }

  @Test
  void configHashIsStableAndKeyOrderIndependent() {
    assertEquals(JsonCodec.hash(Map.of("a", 1, "b", List.of(1, 2))),
        JsonCodec.hash(new java.util.TreeMap<>(Map.of("b", List.of(1, 2), "a", 1))));
    assertFalse(JsonCodec.hash(Map.of("a", 1)).equals(JsonCodec.hash(Map.of("a", 2))));
  }

  @Test
  void environmentIsCaptured(@TempDir Path dir) {
    Map<String, String> env = EnvironmentInfo.capture();
    assertTrue(env.get("jvm").contains(System.getProperty("java.version")));
    assertFalse(env.get("cpu").isBlank());
    assertEquals("unknown", EnvironmentInfo.gitCommit(dir));
  }
}
