package org.resbench.experiments.throughput;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.Progress;
import org.resbench.experiments.bench.BenchConfig;
import org.resbench.experiments.bench.BenchResult;
import org.resbench.experiments.bench.Benchmark;
import org.resbench.experiments.bench.Measure;
import org.resbench.experiments.bench.PeakMeasurement;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.results.RunStatus;
import org.resbench.results.stats.MedianInterval;
import org.resbench.results.stats.Rate;
import org.resbench.results.stats.Samples;

/**
 * Inference and training-step throughput of each spec on each backend, at each batch size and thread count, through
 * the same measuring code as {@code resbench bench} ({@link Benchmark}), with every call kept; each engine's own
 * matrix-product rate is measured in the same process before and after each thread count's groups, so every row's
 * achieved FLOP/s is reported as a fraction of it. Groups are (threads, spec): within one, backends and batch sizes
 * are interleaved in rounds; thread counts run one after another (PyTorch's thread count is one setting per process).
 * Stateless.
 */
public final class ThroughputExperiment implements Experiment<ThroughputConfig> {
  /** The confidence level of every interval. */
  static final double LEVEL = 0.95;

  @Override
  public String name() {
    return "throughput";
  }

  @Override
  public String description() {
    return "inference and training images/s with 95% intervals, latency percentiles, cold first call, memory, and"
        + " achieved GFLOP/s as a fraction of each engine's matrix-product rate measured in the same run; harness"
        + " path against each engine's bare loop";
  }

  @Override
  public Class<ThroughputConfig> configType() {
    return ThroughputConfig.class;
  }

  @Override
  public Set<Capability> requiredCapabilities() {
    return EnumSet.of(Capability.INFERENCE);
  }

  @Override
  public ExperimentResult run(ThroughputConfig cfg, ExperimentContext ctx) {
    List<String> notes = new ArrayList<>();
    List<Backend> backends = chosen(cfg, ctx.backends(), notes);
    int cores = Runtime.getRuntime().availableProcessors();
    List<Integer> threads = resolveThreads(cfg.threads().isEmpty() ? List.of(ctx.options().threads())
        : cfg.threads(), cores, notes);
    List<ModelSpec> specs = cfg.specs().stream().map(SpecNames::build).toList();
    List<ThroughputData.Peak> peaks = new ArrayList<>();
    List<BenchResult> results = new ArrayList<>();
    List<ThroughputData.Group> groups = new ArrayList<>();
    Set<String> peakNotes = new LinkedHashSet<>();
    long steps = (long) threads.size() * (specs.size() * cfg.rounds() * backends.size() * cfg.batches().size()
        + (cfg.peakSizes().isEmpty() ? 0 : 2L * backends.size() * cfg.peakSizes().size()));
    try (Progress progress = ctx.progress().start("throughput", steps)) {
      for (int t : threads) {
        measurePeaks(cfg, backends, t, "before", peaks, peakNotes, progress);
        for (ModelSpec spec : specs) {
          BenchConfig bc = new BenchConfig(spec, cfg.batches(), cfg.warmup(), cfg.measure(), cfg.rounds(), t,
              cfg.train(), cfg.bare(), cfg.seed());
          long start = System.nanoTime();
          BenchResult r = Benchmark.run(bc, backends, line -> progress.step(spec.name() + " " + t + "T " + line));
          results.add(r);
          groups.add(new ThroughputData.Group(spec.name(), t, (System.nanoTime() - start) / 1e9, r.peakRssBytes(),
              r.skipped(), r.failures()));
        }
        measurePeaks(cfg, backends, t, "after", peaks, peakNotes, progress);
      }
    }
    notes.addAll(peakNotes);
    List<ThroughputData.Row> rows = new ArrayList<>();
    for (BenchResult r : results) {
      for (BenchResult.Cell c : r.cells()) {
        rows.add(row(r, c, peaks));
      }
    }
    ThroughputData data = new ThroughputData(LEVEL, specs.stream().map(ModelSpec::name).toList(),
        backends.stream().map(Backend::name).toList(), cfg.batches(), threads, cores, peaks, rows, groups, notes);
    List<String> messages = new ArrayList<>(notes);
    for (ThroughputData.Group g : groups) {
      g.failures().forEach(f -> messages.add(g.spec() + " (" + g.threads() + " threads): " + f));
    }
    return new ExperimentResult(data.anyFailure() ? RunStatus.INCOMPLETE : RunStatus.PASSED, data, messages);
  }

  /**
   * The context's backends that the config names, in the config's order (its first is the base of the report's
   * ratios); all of them, in the context's order, when it names none.
   */
  static List<Backend> chosen(ThroughputConfig cfg, List<Backend> available, List<String> notes) {
    if (cfg.backends().isEmpty()) {
      return available;
    }
    List<Backend> out = cfg.backends().stream().flatMap(n -> available.stream().filter(b -> b.name().equals(n)))
        .toList();
    List<String> names = available.stream().map(Backend::name).toList();
    for (Backend b : available) {
      if (!cfg.backends().contains(b.name())) {
        notes.add("skipped backend " + b.name() + ": not in the config's backends " + cfg.backends()
            + " (add it with --set backends=[...])");
      }
    }
    for (String n : cfg.backends()) {
      if (!names.contains(n)) {
        notes.add("backend " + n + " (in the config) was not chosen or is not available here");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("throughput: none of the config's backends " + cfg.backends() + " is among"
          + " the run's usable backends " + names + "; allowed: --set backends=[...] naming some of them, or"
          + " --set backends=[] for all");
    }
    return out;
  }

  /** Thread counts as run: 0 becomes the core count, counts above it are clipped to it, duplicates dropped. */
  static List<Integer> resolveThreads(List<Integer> asked, int cores, List<String> notes) {
    Set<Integer> out = new LinkedHashSet<>();
    List<Integer> clipped = new ArrayList<>();
    for (int t : asked) {
      if (t > cores) {
        clipped.add(t);
      }
      out.add(t == 0 ? cores : Math.min(t, cores));
    }
    if (!clipped.isEmpty()) {
      notes.add("thread counts " + clipped + " are above this machine's " + cores + " cores and were measured at "
          + cores);
    }
    return List.copyOf(out);
  }

  private static void measurePeaks(ThroughputConfig cfg, List<Backend> backends, int threads, String when,
      List<ThroughputData.Peak> peaks, Set<String> notes, Progress progress) {
    if (cfg.peakSizes().isEmpty()) {
      notes.add("no peak measured (peakSizes is empty), so no roofline fraction");
      return;
    }
    List<String> found = new ArrayList<>();
    for (PeakMeasurement m : Benchmark.measurePeaks(backends, threads, cfg.peakSizes(), cfg.peakWarmup(),
        cfg.peakMeasure(), line -> progress.step(threads + "T " + when + " " + line), found)) {
      peaks.add(peak(m, when));
    }
    notes.addAll(found);
  }

  /** A peak measurement as stored, with its rate and interval. */
  public static ThroughputData.Peak peak(PeakMeasurement m, String when) {
    Rate g = m.seconds().rate(m.flopsPerCall() / 1e9, LEVEL);
    return new ThroughputData.Peak(m.backend(), m.threads(), m.size(), when, m.description(), m.flopsPerCall(),
        m.seconds().values(), g.value(), g.lower(), g.upper());
  }

  /** A measured cell with everything derived from its samples; {@code peaks} gives the roofline fraction. */
  public static ThroughputData.Row row(BenchResult r, BenchResult.Cell c, List<ThroughputData.Peak> peaks) {
    Samples s = c.seconds();
    double flops = c.flopsPerCall(r.macsPerExample());
    Rate images = s.rate(c.batch(), LEVEL);
    double gflops = images.value() * flops / c.batch() / 1e9;
    ThroughputData.Peak peak = ThroughputData.bestPeak(peaks, c.backend(), r.threads()).orElse(null);
    Double overBare = null;
    Double overBareLow = null;
    Double overBareHigh = null;
    BenchResult.Cell bare = c.measure() == Measure.INFERENCE ? r.find(c.backend(), c.batch(), Measure.BARE_INFERENCE)
        : null;
    if (bare != null) {
      double[] ratios = BenchResult.pairedRatios(c.seconds().values(), bare.seconds().values());
      MedianInterval m = MedianInterval.of(ratios, LEVEL);
      overBare = m.median();
      overBareLow = finiteOrNull(m.lower());
      overBareHigh = finiteOrNull(m.upper());
    }
    return new ThroughputData.Row(r.spec(), c.backend(), c.batch(), r.threads(), c.measure().label(),
        r.macsPerExample(), flops, c.openSeconds(), c.coldSeconds(), s.values(), s.median(), s.quantile(0.9),
        s.quantile(0.99), s.max(), images.value(), images.lower(), images.upper(), gflops,
        peak == null ? null : peak.gflops(), peak == null ? null : gflops / peak.gflops(), overBare, overBareLow,
        overBareHigh, c.rssBeforeBytes(), c.peakRssBytes(), c.peakWasReset());
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
