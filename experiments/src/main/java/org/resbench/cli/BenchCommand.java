package org.resbench.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.resbench.experiments.bench.BenchConfig;
import org.resbench.experiments.bench.BenchResult;
import org.resbench.experiments.bench.Benchmark;
import org.resbench.experiments.bench.Measure;
import org.resbench.experiments.bench.PeakMeasurement;
import org.resbench.experiments.bench.Phase;
import org.resbench.experiments.throughput.ThroughputData;
import org.resbench.experiments.throughput.ThroughputExperiment;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.spec.MemoryEstimate;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.results.JsonCodec;
import org.resbench.results.stats.Samples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Times inference, bare engine loops and training steps side by side in one process. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time inference (harness path and each engine's bare loop, alternating call by call) and training "
        + "steps of one spec on several backends in one process, in interleaved rounds, and print medians, "
        + "percentiles, images/s, achieved GFLOP/s and the ratios between them. Ratios from one run are what to "
        + "quote; absolute times on a shared machine are noisy. A stochastic-depth spec's training steps draw "
        + "their gates step by step as training does (dropped blocks skipped), and inference runs at test time "
        + "(every block scaled by its survival probability).")
final class BenchCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Option(names = "--backends", split = ",", paramLabel = "NAME",
      description = "Backends to measure (default: every available backend that can run inference).")
  List<String> backendNames;

  @Option(names = "--spec", converter = SpecConverter.class, paramLabel = "NAME",
      description = "The model (default: ${DEFAULT-VALUE}).", defaultValue = "resnet-20")
  ModelSpec spec;

  @Option(names = "--batch", split = ",", paramLabel = "N", description = "Batch sizes (default: ${DEFAULT-VALUE}).",
      defaultValue = "128")
  List<Integer> batches;

  @Option(names = "--warmup", description = "Unmeasured calls first (default: ${DEFAULT-VALUE}).", defaultValue = "5")
  int warmup;

  @Option(names = "--iterations", description = "Measured calls per round (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int iterations;

  @Option(names = "--rounds", description = "Interleaved rounds (default: ${DEFAULT-VALUE}).", defaultValue = "3")
  int rounds;

  @Option(names = "--threads", description = "Intra-op threads per backend, 0 = engine default (all cores).",
      defaultValue = "0")
  int threads;

  @Option(names = "--no-train", description = "Skip training steps.")
  boolean noTrain;

  @Option(names = "--no-bare", description = "Skip the bare engine loops.")
  boolean noBare;

  @Option(names = "--peak-sizes", split = ",", paramLabel = "N", defaultValue = "256,512,1024",
      description = "Orders n of the n x n matrix products that measure each engine's peak GFLOP/s in this process, "
          + "for the roofline fraction (default: ${DEFAULT-VALUE}).")
  List<Integer> peakSizes;

  @Option(names = "--no-peak", description = "Do not measure the engines' peaks (no roofline fraction).")
  boolean noPeak;

  @Option(names = "--seed", description = "Seed of weights and inputs (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  long seed;

  @Option(names = "--json", description = "Print JSON with every raw sample instead of the table.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = cmd.commandLine().getOut();
    PrintWriter err = cmd.commandLine().getErr();
    Backends all = Backends.discover();
    List<Backend> chosen = new ArrayList<>();
    if (backendNames == null || backendNames.isEmpty()) {
      chosen.addAll(all.supporting(Capability.INFERENCE));
      if (chosen.isEmpty()) {
        throw new CommandFailure(ExitCodes.BACKEND, "no available backend can run inference; see 'resbench backends'");
      }
    } else {
      chosen.addAll(BackendChoice.resolve(all, backendNames, "--backends", Capability.INFERENCE));
    }
    BenchConfig cfg = new BenchConfig(spec, batches, warmup, iterations, rounds, threads, !noTrain, !noBare, seed);
    requireMemory(cfg, chosen);
    err.printf(Locale.ROOT, "bench: %s on %s, batches %s, %d rounds x %d iterations after %d warm-up calls%n",
        spec.name(), chosen.stream().map(Backend::name).toList(), batches, rounds, iterations, warmup);
    List<String> peakNotes = new ArrayList<>();
    List<ThroughputData.Peak> peaks = new ArrayList<>();
    if (!noPeak) {
      for (PeakMeasurement m : Benchmark.measurePeaks(chosen, threads, peakSizes, Phase.calls(2),
          new Phase(3, 0.2), line -> err.println("  " + line), peakNotes)) {
        peaks.add(ThroughputExperiment.peak(m, "before"));
      }
    }
    BenchResult r = Benchmark.run(cfg, chosen, line -> err.println("  " + line));
    List<ThroughputData.Row> rows = r.cells().stream().map(c -> ThroughputExperiment.row(r, c, peaks)).toList();
    if (json) {
      out.println(JsonCodec.write(toJson(r, rows, peaks)));
    } else {
      print(out, r, rows, peaks, peakNotes);
    }
    return ExitCodes.OK;
  }

  /** Every session of the run is open at once: their estimates together must fit before any is opened. */
  static void requireMemory(BenchConfig cfg, List<Backend> backends) {
    List<MemoryEstimate> parts = new ArrayList<>();
    for (Backend b : backends) {
      for (int batch : cfg.batches()) {
        parts.add(MemoryEstimate.of(cfg.spec(), batch, MemoryEstimate.Workload.INFERENCE, b.computesOnHeap(),
            b.name()));
        if (cfg.bare() && !b.computesOnHeap()) { // the reference has no bare loop
          parts.add(MemoryEstimate.of(cfg.spec(), batch, MemoryEstimate.Workload.INFERENCE, b.computesOnHeap(),
              b.name() + " (bare loop)"));
        }
        if (cfg.train() && b.probe().can(Capability.TRAINING)) {
          parts.add(MemoryEstimate.of(cfg.spec(), batch, MemoryEstimate.Workload.TRAINING, b.computesOnHeap(),
              b.name()));
        }
      }
    }
    MemoryEstimate.together("bench's " + parts.size() + " sessions of " + cfg.spec().name() + " at batch "
        + cfg.batches().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")), parts)
        .require();
  }

  static void print(PrintWriter out, BenchResult r, List<ThroughputData.Row> rows, List<ThroughputData.Peak> peaks,
      List<String> peakNotes) {
    out.printf(Locale.ROOT, "%s: %,d MACs per example; %s%n%n", r.spec(), r.macsPerExample(),
        r.threads() == 0 ? "engine-default threads" : r.threads() + " threads");
    if (!peaks.isEmpty() || !peakNotes.isEmpty()) {
      out.println("Engine peaks (n x n matrix products in this process; best size):");
      for (String b : rows.stream().map(ThroughputData.Row::backend).distinct().toList()) {
        ThroughputData.bestPeak(peaks, b, r.threads()).ifPresent(p -> out.printf(Locale.ROOT,
            "  %-16s %8.1f GFLOP/s  (%s; n=%d)%n", b, p.gflops(), p.description(), p.size()));
      }
      peakNotes.forEach(n -> out.println("  " + n));
      out.println();
    }
    out.printf(Locale.ROOT, "%-16s %6s  %-15s %10s %10s %10s %10s %9s %8s %10s %8s%n", "backend", "batch", "measure",
        "median ms", "p10 ms", "p90 ms", "img/s", "GFLOP/s", "roofline", "cold ms", "RSS MB");
    for (int i = 0; i < r.cells().size(); i++) {
      BenchResult.Cell c = r.cells().get(i);
      ThroughputData.Row row = rows.get(i);
      Samples s = c.seconds();
      out.printf(Locale.ROOT, "%-16s %6d  %-15s %10.3f %10.3f %10.3f %10.1f %9.1f %8s %10.3f %8s%n", c.backend(),
          c.batch(), c.measure().label(), 1e3 * s.median(), 1e3 * s.quantile(0.1), 1e3 * s.quantile(0.9),
          row.imagesPerSecond(), row.gflops(), row.rooflineFraction() == null ? "-"
              : String.format(Locale.ROOT, "%.2f", row.rooflineFraction()), 1e3 * c.coldSeconds(),
          c.peakRssBytes() < 0 ? "?" : String.valueOf(c.peakRssBytes() >> 20));
    }
    out.println();
    out.println("Ratios (times: medians of this run; harness / bare: median of call-by-call ratios, 95% interval):");
    for (int i = 0; i < r.cells().size(); i++) {
      BenchResult.Cell c = r.cells().get(i);
      if (c.measure() != Measure.INFERENCE) {
        continue;
      }
      ThroughputData.Row row = rows.get(i);
      if (row.overBare() != null) {
        out.printf(Locale.ROOT, "  %-16s batch %-4d harness / bare inference = %.4f%s%n", c.backend(), c.batch(),
            row.overBare(), row.overBareLow() == null ? "" : String.format(Locale.ROOT, " (%.4f-%.4f)",
                row.overBareLow(), row.overBareHigh()));
      }
      BenchResult.Cell train = r.find(c.backend(), c.batch(), Measure.TRAIN_STEP);
      if (train != null) {
        out.printf(Locale.ROOT, "  %-16s batch %-4d train step / inference  = %.3f%n", c.backend(), c.batch(),
            train.seconds().median() / c.seconds().median());
      }
    }
    List<BenchResult.Cell> inf = r.cells().stream().filter(c -> c.measure() == Measure.INFERENCE).toList();
    for (int i = 0; i < inf.size(); i++) {
      for (int j = i + 1; j < inf.size(); j++) {
        BenchResult.Cell a = inf.get(i);
        BenchResult.Cell b = inf.get(j);
        if (a.batch() != b.batch()) {
          continue;
        }
        out.printf(Locale.ROOT, "  batch %-4d inference  %s / %s = %.3f%n", a.batch(), a.backend(), b.backend(),
            a.seconds().median() / b.seconds().median());
        BenchResult.Cell ta = r.find(a.backend(), a.batch(), Measure.TRAIN_STEP);
        BenchResult.Cell tb = r.find(b.backend(), b.batch(), Measure.TRAIN_STEP);
        if (ta != null && tb != null) {
          out.printf(Locale.ROOT, "  batch %-4d train step %s / %s = %.3f%n", a.batch(), a.backend(), b.backend(),
              ta.seconds().median() / tb.seconds().median());
        }
      }
    }
    for (String s : r.skipped()) {
      out.println("  skipped: " + s);
    }
    for (String f : r.failures()) {
      out.println("  FAILED: " + f);
    }
  }

  static Map<String, Object> toJson(BenchResult r, List<ThroughputData.Row> rows, List<ThroughputData.Peak> peaks) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", r.spec());
    m.put("macsPerExample", r.macsPerExample());
    m.put("threads", r.threads());
    List<Map<String, Object>> cells = new ArrayList<>();
    for (int i = 0; i < r.cells().size(); i++) {
      BenchResult.Cell c = r.cells().get(i);
      ThroughputData.Row row = rows.get(i);
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("backend", c.backend());
      cm.put("batch", c.batch());
      cm.put("measure", c.measure().label());
      cm.put("medianSeconds", c.seconds().median());
      cm.put("coldSeconds", c.coldSeconds());
      cm.put("openSeconds", c.openSeconds());
      cm.put("imagesPerSecond", row.imagesPerSecond());
      cm.put("gflops", row.gflops());
      cm.put("rooflineFraction", row.rooflineFraction());
      cm.put("harnessOverBare", row.overBare());
      cm.put("rssBeforeBytes", c.rssBeforeBytes());
      cm.put("peakRssBytes", c.peakRssBytes());
      cm.put("seconds", c.seconds().values());
      cells.add(cm);
    }
    m.put("cells", cells);
    m.put("peaks", peaks);
    m.put("skipped", r.skipped());
    m.put("failures", r.failures());
    return m;
  }
}
