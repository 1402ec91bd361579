package org.resbench.experiments.nightly;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.resbench.experiments.ConfigLoader;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.experiments.ExperimentRunner;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.ImageSources;
import org.resbench.experiments.Progress;
import org.resbench.experiments.bench.BenchConfig;
import org.resbench.experiments.bench.BenchResult;
import org.resbench.experiments.bench.Benchmark;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.spec.SpecNames;
import org.resbench.results.BackendInfo;
import org.resbench.results.EnvironmentInfo;
import org.resbench.results.Provenance;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import org.resbench.results.compare.Outcome;
import org.resbench.results.compare.TimingRule;
import org.resbench.results.compare.Verdict;
import org.resbench.results.stats.Samples;

/**
 * Runs a suite as one night: checks every item can run (unknown names are bad input, an unavailable backend
 * stops the night before any work), runs the items (experiment runs go into the history's store), compares every
 * metric with the baseline night on raw samples, and writes the night's record. Stateless; one night per call.
 */
public final class NightlyRunner {
  private NightlyRunner() {}

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  /**
   * Which night is the baseline: {@code latest-green} (the newest night that passed or was promoted),
   * {@code pinned NAME}, or a run id. Immutable.
   *
   * @param mode latest-green, pinned or run
   * @param argument the pin's name or the run id; null for latest-green
   */
  public record BaselineChoice(String mode, String argument) {
    /** The default. */
    public static final BaselineChoice LATEST_GREEN = new BaselineChoice("latest-green", null);

    /** Parses {@code latest-green}, {@code pinned NAME} (also {@code pinned:NAME}) or {@code RUN}. */
    public static BaselineChoice parse(List<String> words) {
      if (words == null || words.isEmpty()) {
        return LATEST_GREEN;
      }
      String first = words.get(0);
      if (first.startsWith("pinned:")) {
        return new BaselineChoice("pinned", first.substring("pinned:".length()));
      }
      if (first.equals("latest-green") && words.size() == 1) {
        return LATEST_GREEN;
      }
      if (first.equals("pinned") && words.size() == 2) {
        return new BaselineChoice("pinned", words.get(1));
      }
      if (words.size() == 1 && !first.equals("pinned")) {
        return new BaselineChoice("run", first);
      }
      throw new IllegalArgumentException("--baseline " + String.join(" ", words) + "; allowed: latest-green,"
          + " pinned NAME, or a nightly run id");
    }
  }

  /**
   * How to run. Immutable.
   *
   * @param baseline which night to compare with
   * @param progress progress of the experiment items
   * @param dataDir where to look for data sets first, or null
   * @param sourceDir the source tree for provenance, or null
   * @param log receives a line per item and phase
   */
  public record Settings(BaselineChoice baseline, Progress.Factory progress, Path dataDir, Path sourceDir,
      PrintWriter log) {}

  /**
   * A night.
   *
   * @param record the night's record, in the history
   * @param runs the experiment runs it made, in suite order
   */
  public record Result(RunRecord record, List<RunRecord> runs) {
    public NightlyData data() {
      return (NightlyData) record.data();
    }
  }

  /** Runs {@code suite} as one night in {@code history}. */
  public static Result run(Suite suite, History history, Settings settings) {
    PrintWriter log = settings.log();
    history.store().requireWritable();
    RunRecord baselineRun = baseline(history, suite, settings.baseline());
    NightlyData.Baseline baseline = describeBaseline(history, suite, settings.baseline(), baselineRun);
    Backends discovered = Backends.discover();
    // Bad input and unavailable backends fail here, before any work.
    Map<Integer, ConfigLoader.Resolved<?>> configs = new LinkedHashMap<>();
    Map<String, Backend> backends = new LinkedHashMap<>();
    for (int i = 0; i < suite.items().size(); i++) {
      Suite.Item item = suite.items().get(i);
      List<String> names = item.bench() != null ? List.of(item.bench().backend()) : item.backends();
      for (String n : names) {
        backends.putIfAbsent(n, discovered.get(n));
      }
      if (item.experiment() != null) {
        configs.put(i, ConfigLoader.resolve(ExperimentCatalog.get(item.experiment()), item.profile(), null,
            item.sets()));
      }
    }
    for (Backend b : backends.values()) {
      Capabilities caps = b.probe();
      if (!caps.available()) {
        throw new BackendException(b.name(), "the nightly suite " + suite.name() + " needs it, but it is unavailable: "
            + caps.unavailableReason());
      }
    }
    Calibrated threshold = threshold(suite, history, log);
    Instant start = Instant.now();
    List<NightlyData.Item> items = new ArrayList<>();
    List<RunRecord> runs = new ArrayList<>();
    List<Measured> measured = new ArrayList<>();
    ImageData[] images = new ImageData[1];
    for (int i = 0; i < suite.items().size(); i++) {
      Suite.Item item = suite.items().get(i);
      long t0 = System.nanoTime();
      try {
        if (item.bench() != null) {
          runBench(item.bench(), backends.get(item.bench().backend()), measured, log);
          items.add(new NightlyData.Item(item.describe(), null, RunStatus.PASSED.name(), ""));
        } else {
          RunRecord r = runExperiment(item, configs.get(i), backends, history, settings, images);
          runs.add(r);
          items.add(new NightlyData.Item(item.describe(), r.id(), r.status().name(), r.status() == RunStatus.PASSED
              ? "" : String.join("; ", r.messages())));
          Optional<NightlyMetrics> extractor = BuiltInMetrics.of(item.experiment());
          if (extractor.isEmpty()) {
            log.println("  note: " + item.experiment() + " has no nightly metrics; only its status counts");
          }
          extractor.ifPresent(x -> x.metrics(r).forEach(m -> measured.add(new Measured(m, item.describe() + " ("
              + r.id() + ")", null))));
        }
        log.printf(Locale.ROOT, "  %s: done in %.1f s%n", item.describe(), (System.nanoTime() - t0) / 1e9);
      } catch (RuntimeException e) {
        items.add(new NightlyData.Item(item.describe(), null, "ERROR", e.getClass().getSimpleName() + ": "
            + e.getMessage()));
        log.printf(Locale.ROOT, "  %s: ERROR %s%n", item.describe(), e.getMessage());
      }
    }
    for (Measured m : measured) {
      if (m.value().kind() == MetricValue.Kind.TIMING && m.threshold() == null) {
        m.threshold = threshold.value();
      }
    }
    NightlyData base = baselineRun == null ? null : (NightlyData) baselineRun.data();
    List<NightlyData.Metric> metrics = compare(measured, base);
    Instant end = Instant.now();
    String id = ID_TIME.format(start) + "-nightly-" + suite.name() + "-" + String.format("%04x",
        new SplittableRandom().nextInt(0x10000));
    List<NightlyData.Trend> trends = trends(history.nights(suite.name()), metrics, id, start, suite.trend());
    NightlyData data = new NightlyData(suite.name(), suite.hash(), baseline, threshold.value(), threshold.source(),
        items, metrics, trends);
    boolean broken = items.stream().anyMatch(x -> x.status().equals("ERROR") || x.status().equals("INCOMPLETE"));
    boolean failed = items.stream().anyMatch(x -> x.status().equals("FAILED"));
    RunStatus status = broken ? RunStatus.INCOMPLETE : data.regressed() || failed ? RunStatus.FAILED
        : RunStatus.PASSED;
    List<String> messages = new ArrayList<>();
    Map<Verdict, Long> counts = data.counts();
    messages.add(String.format(Locale.ROOT, "%d metrics against %s: %d regression(s), %d improvement(s), %d unchanged,"
        + " %d inconclusive", metrics.size(), baseline.runId() == null ? "no baseline" : "baseline "
        + baseline.runId(), counts.get(Verdict.REGRESSION), counts.get(Verdict.IMPROVEMENT),
        counts.get(Verdict.UNCHANGED), counts.get(Verdict.INCONCLUSIVE)));
    for (NightlyData.Metric m : metrics) {
      if (m.verdict() == Verdict.REGRESSION) {
        messages.add("REGRESSION " + m.key() + ": " + m.outcome().reason());
      }
    }
    for (NightlyData.Item it : items) {
      if (!it.status().equals("PASSED")) {
        messages.add(it.name() + " " + it.status() + (it.note().isEmpty() ? "" : ": " + it.note()));
      }
    }
    Map<String, Object> config = new LinkedHashMap<>(suite.asMap());
    config.put("baseline", settings.baseline().mode() + (settings.baseline().argument() == null ? ""
        : " " + settings.baseline().argument()));
    config.put("timingThreshold", threshold.value());
    Provenance p = new Provenance(config, suite.hash(), backends.values().stream().map(NightlyRunner::info).toList(),
        0, Map.of(), EnvironmentInfo.capture(), ExperimentRunner.version(),
        EnvironmentInfo.gitCommit(settings.sourceDir()), start.truncatedTo(ChronoUnit.MILLIS).toString(),
        end.truncatedTo(ChronoUnit.MILLIS).toString());
    RunRecord record = new RunRecord(RunRecord.SCHEMA, id, History.TYPE, suite.name(), status, messages, p, data);
    history.store().write(record);
    return new Result(record, runs);
  }

  /** A metric as measured, with the timing threshold it is judged by. */
  private static final class Measured {
    final MetricValue value;
    final String source;
    Double threshold;

    Measured(MetricValue value, String source, Double threshold) {
      this.value = value;
      this.source = source;
      this.threshold = threshold;
    }

    MetricValue value() {
      return value;
    }

    Double threshold() {
      return threshold;
    }
  }

  /** The timing threshold and where it came from. */
  record Calibrated(double value, String source) {}

  /**
   * The suite's threshold, raised to this machine's calibrated one when a calibration of this machine says the
   * suite's is not reachable here.
   */
  static Calibrated threshold(Suite suite, History history, PrintWriter log) {
    Optional<CalibrationResult> c = history.calibration();
    if (c.isEmpty()) {
      return new Calibrated(suite.threshold(), "the suite (no calibration of this machine in the history)");
    }
    CalibrationResult cal = c.get();
    if (!cal.sameMachine(EnvironmentInfo.capture())) {
      return new Calibrated(suite.threshold(), "the suite (the history's calibration is of another machine: "
          + cal.machine() + ")");
    }
    if (cal.threshold() > suite.threshold()) {
      log.printf(Locale.ROOT, "  timings: threshold %.1f%% (raised from the suite's %.1f%% by the calibration of %s)%n",
          100 * cal.threshold(), 100 * suite.threshold(), cal.date());
      return new Calibrated(cal.threshold(), String.format(Locale.ROOT, "this machine's calibration of %s (the suite"
          + " asks %.1f%%, which is not reachable here)", cal.date(), 100 * suite.threshold()));
    }
    return new Calibrated(suite.threshold(), "the suite (reachable here per the calibration of " + cal.date() + ")");
  }

  private static RunRecord baseline(History history, Suite suite, BaselineChoice choice) {
    switch (choice.mode()) {
      case "latest-green":
        return history.latestGreen(suite.name()).orElse(null);
      case "pinned": {
        String run = history.baselines().pins().get(choice.argument());
        if (run == null) {
          throw new IllegalArgumentException("no baseline pinned as '" + choice.argument() + "'; allowed: "
              + (history.baselines().pins().isEmpty() ? "none pinned yet ('resbench nightly pin NAME')"
              : history.baselines().pins().keySet()));
        }
        return history.night(run);
      }
      default:
        return history.night(choice.argument());
    }
  }

  private static NightlyData.Baseline describeBaseline(History h, Suite suite, BaselineChoice c, RunRecord run) {
    String mode = c.mode() + (c.argument() == null ? "" : " " + c.argument());
    if (run == null) {
      return new NightlyData.Baseline(mode, null, null, "no green night of suite " + suite.name() + " in "
          + h.root() + " yet: nothing to compare with (this night can become the baseline)");
    }
    String why = switch (c.mode()) {
      case "latest-green" -> "the newest night of suite " + suite.name() + " that passed or was promoted";
      case "pinned" -> "pinned as '" + c.argument() + "'";
      default -> "named on the command line";
    };
    return new NightlyData.Baseline(mode, run.id(), run.provenance().start(), why);
  }

  private static void runBench(Suite.Bench b, Backend backend, List<Measured> out, PrintWriter log) {
    BenchConfig cfg = new BenchConfig(SpecNames.build(b.spec()), List.of(b.batch()), b.warmup(), b.iterations(),
        b.rounds(), b.threads(), b.train(), false, 0);
    BenchResult r = Benchmark.run(cfg, List.of(backend), line -> log.println("    " + line));
    for (BenchResult.Cell c : r.cells()) {
      String key = b.keyPrefix() + "/" + c.measure().label();
      out.add(new Measured(MetricValue.timing(key, backend.name() + " " + b.spec() + " batch " + b.batch() + ": "
          + c.measure().label() + " (seconds per call)", c.seconds().values()), b.describe(), b.threshold()));
    }
    r.skipped().forEach(s -> log.println("    skipped: " + s));
  }

  private static <C> RunRecord runExperiment(Suite.Item item, ConfigLoader.Resolved<?> resolved,
      Map<String, Backend> backends, History history, Settings settings, ImageData[] images) {
    @SuppressWarnings("unchecked")
    Experiment<C> e = (Experiment<C>) ExperimentCatalog.get(item.experiment());
    @SuppressWarnings("unchecked")
    ConfigLoader.Resolved<C> config = (ConfigLoader.Resolved<C>) resolved;
    ExperimentRunner.Request request = new ExperimentRunner.Request(item.backends().stream().map(backends::get)
        .toList(), SessionOptions.builder().build(), history.store(), settings.progress(), () -> {
          if (images[0] == null) {
            images[0] = ImageSources.load("fashion-mnist", settings.dataDir(), n -> settings.log().println(n));
          }
          return images[0];
        }, settings.sourceDir(), settings.dataDir());
    return ExperimentRunner.run(e, config, request);
  }

  /** Each metric compared with the baseline's; the baseline's metrics missing now are listed as such. */
  private static List<NightlyData.Metric> compare(List<Measured> measured, NightlyData base) {
    List<NightlyData.Metric> out = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    for (Measured m : measured) {
      MetricValue v = m.value();
      keys.add(v.key());
      NightlyData.Metric before = base == null ? null : base.metric(v.key());
      boolean hasBase = before != null && !Double.isNaN(before.value());
      Outcome o;
      double lo = Double.NaN;
      double hi = Double.NaN;
      if (v.kind() == MetricValue.Kind.TIMING) {
        TimingRule rule = TimingRule.DEFAULT.withThreshold(m.threshold());
        o = rule.compare(hasBase ? before.samples() : null, v.samples(), v.key().hashCode());
        if (hasBase) {
          lo = before.value() / (1 + m.threshold());
          hi = before.value() * (1 + m.threshold());
        }
      } else {
        o = v.rule().compare(hasBase ? before.value() : Double.NaN, v.value());
        if (hasBase) {
          double tol = v.rule().absolute() + v.rule().relative() * Math.abs(before.value());
          lo = before.value() - tol;
          hi = before.value() + tol;
        }
      }
      out.add(new NightlyData.Metric(v.key(), v.label(), v.unit(), v.kind().name().toLowerCase(Locale.ROOT),
          v.direction(), v.value(), v.samples(), m.source, o, lo, hi));
    }
    if (base != null) {
      for (NightlyData.Metric b : base.metrics()) {
        if (!keys.contains(b.key()) && !Double.isNaN(b.value())) {
          out.add(new NightlyData.Metric(b.key(), b.label(), b.unit(), b.kind(), b.direction(), Double.NaN,
              new double[0], "missing", new Outcome(Verdict.INCONCLUSIVE, "missing in this run: the baseline has it"
              + " (did its item fail, or did the suite change?)", b.value(), Double.NaN, Double.NaN, Double.NaN,
              Double.NaN, Double.NaN, b.outcome().rule()), Double.NaN, Double.NaN));
        }
      }
    }
    return out;
  }

  private static List<NightlyData.Trend> trends(List<RunRecord> before, List<NightlyData.Metric> metrics, String id,
      Instant start, int n) {
    List<RunRecord> recent = before.subList(Math.max(0, before.size() - (n - 1)), before.size());
    List<NightlyData.Trend> out = new ArrayList<>();
    for (NightlyData.Metric m : metrics) {
      List<NightlyData.Night> nights = new ArrayList<>();
      for (RunRecord r : recent) {
        NightlyData.Metric x = ((NightlyData) r.data()).metric(m.key());
        if (x != null && !Double.isNaN(x.value())) {
          nights.add(night(r.id(), r.provenance().start(), x));
        }
      }
      if (!Double.isNaN(m.value())) {
        nights.add(night(id, start.truncatedTo(ChronoUnit.MILLIS).toString(), m));
      }
      out.add(new NightlyData.Trend(m.key(), nights));
    }
    return out;
  }

  private static NightlyData.Night night(String id, String start, NightlyData.Metric m) {
    if (m.samples().length > 0) {
      Samples s = new Samples(m.samples());
      return new NightlyData.Night(id, start, m.value(), s.quantile(0.1), s.quantile(0.9));
    }
    return new NightlyData.Night(id, start, m.value(), m.value(), m.value());
  }

  private static BackendInfo info(Backend b) {
    Capabilities c = b.probe();
    return new BackendInfo(b.name(), c.engine(), c.engineVersion(), c.device().name().toLowerCase(Locale.ROOT));
  }
}
