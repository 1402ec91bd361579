package org.resbench.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.results.Provenance;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.SweepCell;

class SweepMergeTest {
  @TempDir
  static Path dir;
  static Path file;
  static Path single;

  @BeforeAll
  static void runTheSweepInThreeShardsAndWhole() throws Exception {
    file = Sweeps.write(dir, "mini.yaml", Sweeps.MINI);
    for (int i = 0; i < 3; i++) {
      CliRunner.Run r = CliRunner.run("sweep", "run", file.toString(), "--shard", i + "/3", "--results",
          dir.resolve("shard" + i).toString(), "--no-progress");
      assertEquals(0, r.code(), r.out() + r.err());
    }
    single = dir.resolve("single");
    assertEquals(0, CliRunner.run("sweep", "run", file.toString(), "--results", single.toString(), "--no-progress")
        .code());
  }

  private static String[] shards(String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("sweep", "merge"));
    for (int i = 0; i < 3; i++) {
      a.add(dir.resolve("shard" + i).toString());
    }
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void mergedShardsEqualASingleProcessRunAndRenderAsOneReport() throws Exception {
    Path out = dir.resolve("merged");
    CliRunner.Run r = CliRunner.run(shards("--out", out.toString()));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("merged 4 of 4 cells from 3 shard folders"), r.out());
    assertEquals(Sweeps.dataByCell(single), Sweeps.dataByCell(out));
    RunRecord summary = new ResultsStore(out).get("mini--sweep");
    SweepData d = (SweepData) summary.data();
    assertEquals(4, d.cells().size());
    assertEquals(List.of("seeds", "width"), d.gridKeys());
    assertTrue(d.missing().isEmpty());

    Path html = dir.resolve("merged.html");
    CliRunner.Run rep = CliRunner.run("report", "--all", "--results", out.toString(), "--out", html.toString());
    assertEquals(0, rep.code(), rep.err());
    String page = Files.readString(html);
    for (SweepData.Entry e : d.cells()) {
      assertTrue(page.contains("href=\"#run-" + e.runId() + "\"") && page.contains("id=\"run-" + e.runId() + "\""));
    }
    assertTrue(page.indexOf("id=\"run-mini--sweep\"") < page.indexOf("id=\"run-" + d.cells().get(0).runId() + "\""),
        "the summary leads the report");
    assertTrue(page.contains(d.cellCount() + " of " + d.cellCount() + " cells passed"), "the summary table's headline");

    CliRunner.Run twice = CliRunner.run(shards("--out", out.toString()));
    assertEquals(2, twice.code());
    assertTrue(twice.err().contains("is not empty"), twice.err());
  }

  @Test
  void missingCellsAreRefusedUnlessPartial() throws Exception {
    CliRunner.Run r = CliRunner.run("sweep", "merge", dir.resolve("shard0").toString(), "--out",
        dir.resolve("p1").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("incomplete sweep mini") && r.err().contains("--partial"), r.err());
    assertFalse(Files.exists(dir.resolve("p1")));
    r = CliRunner.run("sweep", "merge", dir.resolve("shard0").toString(), "--out", dir.resolve("p2").toString(),
        "--partial");
    assertEquals(1, r.code(), "a partial set is not a pass: " + r.out() + r.err());
    RunRecord summary = new ResultsStore(dir.resolve("p2")).get("mini--sweep");
    assertEquals(4 - ((SweepData) summary.data()).cells().size(), ((SweepData) summary.data()).missing().size());
    var heads = new SweepSection().headlines(summary, (SweepData) summary.data());
    assertEquals(org.resbench.reports.Headline.Verdict.FAIL, heads.get(0).verdict(), "a partial sweep: " + heads);
    assertTrue(heads.get(0).value().contains("missing"), heads.toString());
  }

  @Test
  void mixedPlansVersionsAndDuplicatesAreRefusedWithTheirFolders() throws Exception {
    // A shard whose records claim another plan (the sweep file changed) or another build.
    RunRecord any = new ResultsStore(dir.resolve("shard1")).list().get(0);
    Path otherPlan = dir.resolve("other-plan");
    new ResultsStore(otherPlan).write(withSweep(any, any.provenance().sweep(), "f00d", null));
    CliRunner.Run r = CliRunner.run("sweep", "merge", dir.resolve("shard0").toString(), otherPlan.toString(), "--out",
        dir.resolve("x1").toString(), "--partial");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("mixed configs") && r.err().contains(otherPlan.toString()), r.err());

    Path otherBuild = dir.resolve("other-build");
    new ResultsStore(otherBuild).write(withSweep(any, any.provenance().sweep(), null, "9.9.9"));
    r = CliRunner.run("sweep", "merge", dir.resolve("shard0").toString(), otherBuild.toString(), "--out",
        dir.resolve("x2").toString(), "--partial");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("mixed versions") && r.err().contains("resbench 9.9.9"), r.err());

    r = CliRunner.run("sweep", "merge", dir.resolve("shard1").toString(), dir.resolve("shard1").toString(), "--out",
        dir.resolve("x3").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("is recorded in both"), r.err());
  }

  private static RunRecord withSweep(RunRecord r, SweepCell c, String hash, String version) {
    Provenance p = r.provenance();
    SweepCell cell = new SweepCell(c.sweep(), hash != null ? hash : c.sweepHash(), c.cell(), c.index(), c.cells(),
        c.shard(), c.point(), c.scheduler());
    Provenance q = new Provenance(p.config(), p.configHash(), p.backends(), p.threads(), p.seeds(), p.environment(),
        version != null ? version : p.resbenchVersion(), p.gitCommit(), p.start(), p.end(), cell);
    return new RunRecord(r.schema(), r.id(), r.experiment(), r.profile(), r.status(), r.messages(), q, r.data());
  }
}
