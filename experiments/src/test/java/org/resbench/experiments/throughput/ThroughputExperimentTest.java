package org.resbench.experiments.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.Progress;
import org.resbench.experiments.bench.Phase;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.results.JsonCodec;
import org.resbench.results.RunStatus;

/**
 * The throughput experiment on the reference and on test doubles (fast, no engine): what it records, the roofline
 * fraction only where a peak was measured, failures recorded instead of thrown, and the stored record end to end.
 * Timings are never asserted, only their shape.
 */
class ThroughputExperimentTest {
  private static final String TINY = "mlp-2x8-ff-out3";

  /** The reference under another name without a peak probe (the SPI's default), or failing to open. */
  private record Double(String name, boolean fails) implements Backend {
    @Override
    public String description() {
      return "test double";
    }

    @Override
    public Device device() {
      return Device.CPU;
    }

    @Override
    public Capabilities probe() {
      return new ReferenceBackend().probe();
    }

    @Override
    public Session open(ModelSpec spec, ModelState state, SessionOptions options) {
      if (fails) {
        throw new BackendException(name, "planted failure");
      }
      return new ReferenceBackend().open(spec, state, options);
    }
  }

  private static ThroughputConfig config(List<String> backends, List<Integer> batches, List<Integer> threads,
      List<Integer> peakSizes) {
    return new ThroughputConfig(List.of(TINY), backends, batches, threads, true, true, Phase.calls(1),
        Phase.calls(3), 2, peakSizes, Phase.calls(1), Phase.calls(2), 0);
  }

  private static ExperimentContext context(List<Backend> backends) {
    return new ExperimentContext(backends, SessionOptions.DEFAULT, Progress.Factory.NONE, () -> {
      throw new AssertionError("throughput needs no image data");
    });
  }

  @Test
  void everyCallIsKeptAndOnlyBackendsWithAPeakGetARooflineFraction() {
    ExperimentResult r = new ThroughputExperiment().run(config(List.of(), List.of(1, 3), List.of(1), List.of(24)),
        context(List.of(new ReferenceBackend(), new Double("no-peak", false))));
    assertEquals(RunStatus.PASSED, r.status(), r.messages().toString());
    ThroughputData d = (ThroughputData) r.data();
    assertEquals(List.of("reference", "no-peak"), d.backends());
    assertEquals(List.of(1), d.threads());
    // Per backend and batch: inference and train-step (the reference has no bare loop).
    assertEquals(8, d.rows().size());
    for (ThroughputData.Row row : d.rows()) {
      assertEquals(6, row.seconds().length, "2 rounds x 3 calls, every call kept");
      assertTrue(row.p50() <= row.p90() && row.p90() <= row.p99() && row.p99() <= row.max());
      assertTrue(row.imagesPerSecondLow() <= row.imagesPerSecond()
          && row.imagesPerSecond() <= row.imagesPerSecondHigh());
      assertTrue(row.coldSeconds() > 0 && row.openSeconds() >= 0);
      assertNull(row.overBare(), "no bare loop, no ratio");
      double flopsPerExample = row.measure().equals("train-step") ? 6.0 * row.macsPerExample()
          : 2.0 * row.macsPerExample();
      assertEquals(flopsPerExample * row.batch(), row.flopsPerCall(), 1e-9);
      if (row.backend().equals("reference")) {
        assertNotNull(row.rooflineFraction());
        assertEquals(row.gflops() / row.peakGflops(), row.rooflineFraction(), 1e-12);
      } else {
        assertNull(row.rooflineFraction(), "no peak measured: blank, not invented");
      }
    }
    // The reference's peak before and after the group; the double has none and the notes say so.
    assertEquals(List.of("before", "after"), d.peaks().stream().map(ThroughputData.Peak::when).toList());
    assertEquals(d.peaks().stream().mapToDouble(ThroughputData.Peak::gflops).max().orElseThrow(),
        d.bestPeak("reference", 1).orElseThrow().gflops());
    assertTrue(d.notes().contains("no-peak: no peak measured (the backend has no peak probe)"), d.notes().toString());
    assertEquals(1, d.groups().size());
    assertTrue(d.groups().get(0).skipped().stream().anyMatch(s -> s.contains("bare-inference")));
    ThroughputData back = JsonCodec.read(JsonCodec.write(d), ThroughputData.class);
    assertEquals(d.rows().get(0).seconds().length, back.rows().get(0).seconds().length);
    assertEquals(d.rows().get(0).rooflineFraction(), back.rows().get(0).rooflineFraction());
  }

  @Test
  void aFailingBackendIsRecordedAndTheRunIsIncomplete() {
    ExperimentResult r = new ThroughputExperiment().run(config(List.of(), List.of(2), List.of(1), List.of()),
        context(List.of(new ReferenceBackend(), new Double("broken", true))));
    assertEquals(RunStatus.INCOMPLETE, r.status());
    ThroughputData d = (ThroughputData) r.data();
    assertTrue(d.rows().stream().allMatch(x -> x.backend().equals("reference")));
    assertTrue(r.messages().stream().anyMatch(m -> m.contains("broken batch 2: set-up failed: broken: planted")),
        r.messages().toString());
    assertTrue(d.peaks().isEmpty());
    assertTrue(d.rows().stream().allMatch(x -> x.rooflineFraction() == null));
  }

  @Test
  void theConfigChoosesBackendsAndThreadCountsAreResolvedAgainstTheCores() {
    List<String> notes = new ArrayList<>();
    assertEquals(List.of(2, 1), ThroughputExperiment.resolveThreads(List.of(0, 1, 8, 2), 2, notes));
    assertEquals(List.of("thread counts [8] are above this machine's 2 cores and were measured at 2"), notes);
    List<Backend> two = List.of(new ReferenceBackend(), new Double("other", false));
    notes.clear();
    assertEquals(List.of("other"), ThroughputExperiment.chosen(config(List.of("other", "ort-cuda"), List.of(1),
        List.of(), List.of()), two, notes).stream().map(Backend::name).toList());
    assertEquals(2, notes.size(), notes.toString());
    assertEquals(List.of("other", "reference"), ThroughputExperiment.chosen(config(List.of("other", "reference"),
        List.of(1), List.of(), List.of()), two, notes).stream().map(Backend::name).toList(),
        "the config's order: its first backend is the base of the ratios");
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ThroughputExperiment.chosen(
        config(List.of("ort-cpu"), List.of(1), List.of(), List.of()), two, new ArrayList<>()));
    assertTrue(none.getMessage().contains("--set backends=[]"), none.getMessage());
  }

  @Test
  void badConfigsNameTheFieldAndWhatIsAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config(List.of(), List.of(0), List.of(), List.of()));
    assertTrue(e.getMessage().startsWith("batches=[0]; allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> config(List.of(), List.of(1), List.of(-1), List.of()));
    assertTrue(e.getMessage().startsWith("threads=[-1]; allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> config(List.of(), List.of(1), List.of(), List.of(0)));
    assertTrue(e.getMessage().startsWith("peakSizes=[0]; allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ThroughputConfig(List.of(TINY), List.of(), List.of(1),
        List.of(), true, true, Phase.NONE, Phase.NONE, 1, List.of(), Phase.NONE, Phase.calls(1), 0));
    assertTrue(e.getMessage().startsWith("measure: calls=0, seconds=0; allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Phase(-1, 0));
    assertTrue(e.getMessage().contains("allowed: calls >= 0"), e.getMessage());
  }

  @Test
  void theRunIsStoredWithEveryCallAndItsSectionShowsTheRooflineFraction(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    Path html = dir.resolve("t.html");
    CliRunner.Run r = CliRunner.run("run", "throughput", "--backends", "reference", "--no-progress", "--results",
        results.toString(), "--report", html.toString(), "--set", "specs=[" + TINY + "]", "--set", "backends=[]",
        "--set", "batches=[1,2]", "--set", "threads=[1,2]", "--set", "rounds=1", "--set", "peakSizes=[16,32]",
        "--set", "measure={calls: 2, seconds: 0}", "--set", "peakMeasure={calls: 2, seconds: 0}");
    assertEquals(0, r.code(), r.err() + r.out());
    Path record;
    try (var runs = Files.list(results)) {
      record = runs.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow()
          .resolve("run.json");
    }
    JsonNode json = JsonCodec.mapper().readTree(Files.readString(record));
    assertEquals("throughput", json.path("data").path("type").asText());
    // Thread counts above the cores are measured at the core count (this machine has 2; a 1-core one merges them).
    List<Integer> threads = Runtime.getRuntime().availableProcessors() >= 2 ? List.of(1, 2) : List.of(1);
    assertEquals(threads, JsonCodec.mapper().convertValue(json.path("data").path("threads"), List.class));
    assertEquals(threads.size() * 2 * 2, json.path("data").path("rows").size(),
        "thread counts x 2 batches x (inference, train-step)");
    assertEquals(2, json.path("data").path("rows").get(0).path("seconds").size(), "1 round x 2 calls, all kept");
    String page = Files.readString(html);
    assertTrue(page.contains("roofline fraction"), "the roofline column");
    assertTrue(page.contains("images/s against batch size"), "batch-scaling chart");
    assertEquals(threads.size() > 1, page.contains("images/s against intra-op threads"), "thread-scaling chart");
    assertTrue(page.contains("blocked Java loop"), "the measured peak and what it multiplied");
  }
}
