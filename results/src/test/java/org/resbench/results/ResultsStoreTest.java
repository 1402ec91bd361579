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
  void malformedRecordsNameTheFile(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("x"));
    Files.writeString(dir.resolve("x").resolve("run.json"), "{\"schema\": [}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ResultsStore(dir).list());
    assertTrue(e.getMessage().contains("run.json"), e.getMessage());
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
