package org.resbench.experiments.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.results.JsonCodec;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import org.resbench.results.compare.Outcome;
import org.resbench.results.compare.Verdict;

/**
 * Nights end to end through the CLI on small deterministic suites: no baseline, then unchanged figures against the
 * latest green night; a planted change of a numeric figure is a regression (exit 5); promote and pin; bad input and
 * unavailable backends. No assertion depends on how fast anything ran.
 */
class NightlyTest {
  /** Deterministic figures only (the float64 reference): every night equals the last. */
  static final String NUMERIC = String.join("\n",
      "name: numeric",
      "items:",
      "  - experiment: shattered-gradients",
      "    backends: [reference]",
      "    set: {depths: [1, 4], points: 32, maxLag: 8, width: 16, convDepths: [], mlpFamilies: [ff-bn, res-bn],"
          + " activity: false, seeds: [1]}",
      "");

  /** A timing item too (tiny, on the reference), judged with a threshold no machine's noise reaches. */
  static final String TIMED = String.join("\n",
      "name: timed",
      "threshold: 9.0",
      "trend: 5",
      "items:",
      "  - bench: {backend: reference, spec: resnet-8-in3x8x8, batch: 2, warmup: 1, rounds: 2, iterations: 3}",
      "  - experiment: shattered-gradients",
      "    backends: [reference]",
      "    set: {depths: [1, 4], points: 32, maxLag: 8, width: 16, convDepths: [], mlpFamilies: [ff-bn],"
          + " activity: false, seeds: [1]}",
      "");

  private static CliRunner.Run night(Path suite, Path history, String... more) {
    List<String> args = new ArrayList<>(List.of("nightly", "--suite", suite.toString(), "--history",
        history.toString(), "--no-progress"));
    args.addAll(List.of(more));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void firstNightHasNoBaselineAndTheSecondComparesWithIt(@TempDir Path dir) throws Exception {
    Path suite = Files.writeString(dir.resolve("timed.yaml"), TIMED);
    Path history = dir.resolve("history");
    CliRunner.Run first = night(suite, history);
    assertEquals(0, first.code(), first.out() + first.err());
    History h = new History(history);
    RunRecord n1 = h.nights("timed").get(0);
    NightlyData d1 = (NightlyData) n1.data();
    assertNull(d1.baseline().runId());
    assertTrue(d1.metrics().stream().allMatch(m -> m.verdict() == Verdict.INCONCLUSIVE
        && m.outcome().reason().startsWith("no baseline")));
    NightlyData.Metric timing = d1.metric("bench/reference/resnet-8-in3x8x8/b2/inference");
    assertNotNull(timing, d1.metrics().toString());
    assertEquals(6, timing.samples().length, "raw samples are kept");
    assertEquals("timing", timing.kind());
    assertEquals(RunStatus.PASSED, n1.status());

    CliRunner.Run second = night(suite, history);
    assertEquals(0, second.code(), second.out() + second.err());
    assertTrue(second.out().contains("baseline: " + n1.id() + " (latest-green)"), second.out());
    RunRecord n2 = h.nights("timed").get(1);
    NightlyData d2 = (NightlyData) n2.data();
    assertEquals(n1.id(), d2.baseline().runId());
    for (NightlyData.Metric m : d2.metrics()) {
      if (m.kind().equals("numeric")) {
        assertEquals(Verdict.UNCHANGED, m.verdict(), m.key() + ": " + m.outcome().reason());
        assertEquals(0, m.outcome().change(), m.key());
      } else {
        assertEquals(timing.value(), m.outcome().baseline(), "the baseline's median");
        assertTrue(m.bandUpper() > m.bandLower());
      }
    }
    // Trends hold both nights, oldest first; the items' runs are in the history beside the nights.
    NightlyData.Trend t = d2.trends().stream().filter(x -> x.key().equals(timing.key())).findFirst().orElseThrow();
    assertEquals(List.of(n1.id(), n2.id()), t.nights().stream().map(NightlyData.Night::runId).toList());
    for (NightlyData.Item it : d2.items()) {
      if (it.runId() != null) {
        assertEquals("shattered-gradients", h.store().get(it.runId()).experiment());
      }
    }
    // The report: verdicts first, then trends, with anchors to the runs; 'resbench report' renders nights too.
    String page = Files.readString(history.resolve("reports").resolve(n2.id() + ".html"));
    assertTrue(page.indexOf(">Verdicts<") < page.indexOf(">Trends<"), "verdict table before the trends");
    assertTrue(page.contains("href=\"#run-" + d2.items().get(1).runId() + "\""));
    assertTrue(page.contains("id=\"run-" + d2.items().get(1).runId() + "\""));
    assertTrue(page.contains("baseline band (unchanged inside)"));
    assertTrue(page.contains("against baseline " + n1.id()) && page.contains(" 0 regression(s)"),
        "the summary table gives the verdict counts");
    Path again = dir.resolve("again.html");
    CliRunner.Run rep = CliRunner.run("report", n2.id(), "--results", h.store().root().toString(), "--out",
        again.toString());
    assertEquals(0, rep.code(), rep.err());
    assertTrue(Files.readString(again).contains(">Verdicts<"));
  }

  @Test
  void aChangedFigureIsARegressionWithItsOwnExitCodeAndPromoteAcceptsIt(@TempDir Path dir) throws Exception {
    Path suite = Files.writeString(dir.resolve("numeric.yaml"), NUMERIC);
    Path history = dir.resolve("history");
    assertEquals(0, night(suite, history).code());
    History h = new History(history);
    RunRecord n1 = h.nights("numeric").get(0);
    // Plant a baseline whose correlation differs from what the code computes by 0.05 (tolerance: 0.01).
    NightlyData d = (NightlyData) n1.data();
    List<NightlyData.Metric> moved = new ArrayList<>();
    String key = "shattered/reference/res-bn/L4/neighbour-correlation";
    for (NightlyData.Metric m : d.metrics()) {
      moved.add(!m.key().equals(key) ? m : new NightlyData.Metric(m.key(), m.label(), m.unit(), m.kind(),
          m.direction(), m.value() + 0.05, m.samples(), m.source(), m.outcome(), m.bandLower(), m.bandUpper()));
    }
    NightlyData planted = new NightlyData(d.suite(), d.suiteHash(), d.baseline(), d.timingThreshold(),
        d.thresholdSource(), d.items(), moved, d.trends());
    RunRecord fake = new RunRecord(n1.schema(), n1.id() + "-planted", n1.experiment(), n1.profile(), n1.status(),
        n1.messages(), n1.provenance(), planted);
    h.store().write(fake);
    CliRunner.Run pin = CliRunner.run("nightly", "pin", "planted", fake.id(), "--history", history.toString());
    assertEquals(0, pin.code(), pin.err());

    CliRunner.Run r = night(suite, history, "--baseline", "pinned", "planted");
    assertEquals(5, r.code(), "a regression exits 5: " + r.out() + r.err());
    assertTrue(r.out().contains("REGRESSION " + key + ": changed beyond tolerance: change -0.05"), r.out());
    RunRecord red = h.nights("numeric").get(h.nights("numeric").size() - 1);
    assertEquals(RunStatus.FAILED, red.status());
    NightlyData.Metric m = ((NightlyData) red.data()).metric(key);
    assertEquals(Verdict.REGRESSION, m.verdict());
    assertEquals(1, ((NightlyData) red.data()).counts().get(Verdict.REGRESSION));
    var heads = new NightlySection().headlines(red, (NightlyData) red.data());
    assertEquals(org.resbench.reports.Headline.Verdict.FAIL, heads.get(0).verdict(), heads.toString());
    assertTrue(heads.stream().anyMatch(x -> x.label().equals(key)), "the regressed metric is named: " + heads);

    // latest-green skips the red night until it is promoted; nights never move baselines themselves.
    assertEquals(fake.id(), h.latestGreen("numeric").orElseThrow().id(), "the planted copy is the newest green");
    CliRunner.Run promote = CliRunner.run("nightly", "promote", red.id(), "--history", history.toString());
    assertEquals(0, promote.code(), promote.err());
    assertEquals(red.id(), h.latestGreen("numeric").orElseThrow().id());
    assertEquals(List.of(red.id()), h.baselines().promoted());

    // A pin is never moved silently.
    CliRunner.Run repin = CliRunner.run("nightly", "pin", "planted", red.id(), "--history", history.toString());
    assertEquals(2, repin.code());
    assertTrue(repin.err().contains("already pinned to " + fake.id()) && repin.err().contains("--force"),
        repin.err());
    assertEquals(fake.id(), h.baselines().pins().get("planted"));
    assertEquals(0, CliRunner.run("nightly", "pin", "planted", red.id(), "--force", "--history",
        history.toString()).code());
    assertEquals(red.id(), h.baselines().pins().get("planted"));
  }

  @Test
  void badInputIsExitTwoAndAnUnavailableBackendExitThree(@TempDir Path dir) throws Exception {
    Path history = dir.resolve("history");
    Path suite = Files.writeString(dir.resolve("numeric.yaml"), NUMERIC);
    CliRunner.Run r = night(suite, history, "--baseline", "pinned", "nope");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no baseline pinned as 'nope'"), r.err());
    r = night(suite, history, "--baseline", "no-such-run");
    assertEquals(2, r.code());
    r = night(Files.writeString(dir.resolve("bad.yaml"), NUMERIC.replace("items:", "itemz:")), history);
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown field 'itemz'"), r.err());
    r = night(Files.writeString(dir.resolve("cuda.yaml"), NUMERIC.replace("[reference]", "[ort-cuda]")), history);
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("ort-cuda"), r.err());
    assertFalse(Files.exists(history.resolve("runs")) && new History(history).nights(null).size() > 0,
        "nothing ran before the checks");
  }

  @Test
  void theSmokeSuiteLoadsAndSuitesAreValidated() {
    Suite smoke = Suite.load("smoke");
    assertEquals("smoke", smoke.name());
    assertEquals(0.05, smoke.threshold());
    Suite.Bench b = smoke.items().get(0).bench();
    assertEquals("ort-cpu", b.backend());
    assertEquals("resnet-20", b.spec());
    assertEquals(128, b.batch());
    assertEquals(List.of("parity", "shattered-gradients"), smoke.items().stream().skip(1)
        .map(Suite.Item::experiment).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Suite.Item(null, null, null,
        null, null));
    assertTrue(e.getMessage().contains("neither"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Suite.load("no-such-suite"));
    assertTrue(e.getMessage().contains("allowed: [smoke]"), e.getMessage());
  }

  @Test
  void nightsSurviveJsonIncludingNaN() {
    Outcome o = new Outcome(Verdict.INCONCLUSIVE, "no baseline", Double.NaN, 0.5, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, "rule");
    NightlyData.Metric m = new NightlyData.Metric("k", "label", "s", "timing",
        org.resbench.results.compare.Direction.LOWER_IS_BETTER, 0.5, new double[] {0.4, 0.5, 0.6}, "bench", o,
        Double.NaN, Double.NaN);
    NightlyData d = new NightlyData("s", "h", new NightlyData.Baseline("latest-green", null, null, "none"), 0.05,
        "the suite", List.of(), List.of(m), List.of());
    NightlyData back = JsonCodec.read(JsonCodec.write(d), NightlyData.class);
    assertEquals(JsonCodec.write(d), JsonCodec.write(back));
    assertTrue(Double.isNaN(back.metrics().get(0).outcome().baseline()));
  }
}
