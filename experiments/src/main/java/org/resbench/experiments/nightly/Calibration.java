package org.resbench.experiments.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.resbench.experiments.bench.BenchConfig;
import org.resbench.experiments.bench.BenchResult;
import org.resbench.experiments.bench.Benchmark;
import org.resbench.experiments.bench.Measure;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.spec.SpecNames;
import org.resbench.results.EnvironmentInfo;
import org.resbench.results.JsonCodec;
import org.resbench.results.compare.Outcome;
import org.resbench.results.compare.TimingRule;
import org.resbench.results.compare.Verdict;
import org.resbench.results.stats.Samples;

/**
 * Measures how well this machine tells a real slowdown from noise, with the nightly's own measurement and rule.
 * For each of {@code runs} comparisons it times three sets of inference calls of the suite's first benchmark: A and
 * B on the plain backend, then C on the same backend wrapped in a {@link DelayedBackend} that adds a known fraction
 * to every call; A against B is an A/A comparison (identical configurations: any flag is a false alarm), B against
 * C an injected slowdown (a regression verdict is a detection). By default every set runs in its own JVM, as
 * nights do, so the JVM-to-JVM spread is part of the noise. From the same comparisons it finds the smallest
 * threshold whose false alarms stay within 1 in 20: the nightly uses it on this machine when the suite's is not
 * reachable. Stateless; one calibration per call.
 */
public final class Calibration {
  private Calibration() {}

  /** Thresholds tried beyond the suite's. */
  static final double[] LADDER = {0.05, 0.075, 0.10, 0.125, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50, 0.75, 1.0};

  /**
   * How to calibrate. Immutable.
   *
   * @param target the benchmark whose inference calls are timed
   * @param runs comparisons of each kind (20: a false-alarm rate of 1 in 20 can be seen)
   * @param slowdown the injected slowdown, a fraction
   * @param defaultThreshold the suite's threshold
   * @param inProcess time every set in this JVM (fresh sessions each) instead of a JVM per set
   * @param launcher the command that runs resbench (for a JVM per set)
   * @param work where the child processes' logs go
   */
  public record Settings(Suite.Bench target, int runs, double slowdown, double defaultThreshold, boolean inProcess,
      List<String> launcher, Path work) {
    public Settings {
      if (runs < 1) {
        throw new IllegalArgumentException("--runs=" + runs + "; allowed: 1 or more (20 to see a 1-in-20 rate)");
      }
      if (!(slowdown > 0 && slowdown < 10)) {
        throw new IllegalArgumentException("--slowdown=" + slowdown + "; allowed: a fraction in (0, 10), e.g. 0.1");
      }
    }
  }

  /** Runs the calibration with {@code backend} (the target's). */
  public static CalibrationResult run(Settings s, Backend backend, PrintWriter log) {
    long t0 = System.nanoTime();
    Suite.Bench b = s.target();
    log.printf(Locale.ROOT, "calibrating: %d A/A and %d injected-slowdown (+%.0f%%) comparisons of %s %s batch %d"
        + " inference, %d x %d calls per set, %s%n", s.runs(), s.runs(), 100 * s.slowdown(), b.backend(), b.spec(),
        b.batch(), b.rounds(), b.iterations(), s.inProcess() ? "all sets in this JVM" : "each set in its own JVM");
    List<CalibrationResult.Set> sets = new ArrayList<>();
    List<double[][]> triples = new ArrayList<>();
    for (int i = 0; i < s.runs(); i++) {
      double[] a = measure(s, backend, 0, "a" + i);
      double[] bb = measure(s, backend, 0, "b" + i);
      double[] c = measure(s, backend, s.slowdown(), "slowed" + i);
      sets.add(new CalibrationResult.Set("a", i, a));
      sets.add(new CalibrationResult.Set("b", i, bb));
      sets.add(new CalibrationResult.Set("slowed", i, c));
      triples.add(new double[][] {a, bb, c});
      Outcome aa = rule(s.defaultThreshold()).compare(a, bb, i);
      Outcome inj = rule(s.defaultThreshold()).compare(bb, c, i);
      log.printf(Locale.ROOT, "  %2d/%d  A/A %-12s %+6.1f%%   injected %-12s %+6.1f%%   (%.1f s so far)%n", i + 1,
          s.runs(), aa.verdict().label(), 100 * aa.change(), inj.verdict().label(), 100 * inj.change(),
          (System.nanoTime() - t0) / 1e9);
    }
    TreeSet<Double> thresholds = new TreeSet<>();
    thresholds.add(s.defaultThreshold());
    for (double t : LADDER) {
      if (t > s.defaultThreshold()) {
        thresholds.add(t);
      }
    }
    List<CalibrationResult.Row> rows = new ArrayList<>();
    for (double t : thresholds) {
      rows.add(row(t, triples));
    }
    int allowed = s.runs() / 20;
    int wanted = (int) Math.ceil(0.95 * s.runs());
    CalibrationResult.Row atDefault = rows.get(0);
    CalibrationResult.Row chosen = rows.stream().filter(r -> r.falseAlarms() <= allowed).findFirst()
        .orElse(rows.get(rows.size() - 1));
    List<Double> shifts = new ArrayList<>();
    for (double[][] t : triples) {
      shifts.add(new Samples(t[2]).median() / new Samples(t[1]).median() - 1);
    }
    double measured = new Samples(shifts.stream().mapToDouble(Double::doubleValue).toArray()).median();
    List<String> notes = notes(s, atDefault, chosen, allowed, wanted, measured);
    Map<String, String> env = EnvironmentInfo.capture();
    double wall = (System.nanoTime() - t0) / 1e9;
    return new CalibrationResult(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), env.get("host") + ", "
        + env.get("cpu") + ", " + env.get("cores") + " cores", env.getOrDefault("host", "unknown"), env.get("cpu"),
        env.get("cores"), b.backend() + " " + b.spec() + " batch " + b.batch() + " inference",
        b.rounds() * b.iterations(), s.runs(), s.slowdown(), s.inProcess() ? "in-process" : "process",
        s.defaultThreshold(), atDefault.falseAlarms(), atDefault.detections(), chosen.threshold(), rows, measured,
        notes, wall, sets);
  }

  private static TimingRule rule(double threshold) {
    return TimingRule.DEFAULT.withThreshold(threshold);
  }

  private static CalibrationResult.Row row(double t, List<double[][]> triples) {
    int fa = 0;
    int aaInc = 0;
    int det = 0;
    int injInc = 0;
    for (int i = 0; i < triples.size(); i++) {
      double[][] x = triples.get(i);
      Outcome aa = rule(t).compare(x[0], x[1], i);
      Outcome inj = rule(t).compare(x[1], x[2], i);
      fa += aa.verdict() == Verdict.REGRESSION || aa.verdict() == Verdict.IMPROVEMENT ? 1 : 0;
      aaInc += aa.verdict() == Verdict.INCONCLUSIVE ? 1 : 0;
      det += inj.verdict() == Verdict.REGRESSION ? 1 : 0;
      injInc += inj.verdict() == Verdict.INCONCLUSIVE ? 1 : 0;
    }
    return new CalibrationResult.Row(t, fa, aaInc, det, injInc);
  }

  private static List<String> notes(Settings s, CalibrationResult.Row atDefault, CalibrationResult.Row chosen,
      int allowed, int wanted, double measured) {
    List<String> n = new ArrayList<>();
    int runs = s.runs();
    n.add(String.format(Locale.ROOT, "at the suite's %s threshold: %d of %d A/A comparisons flagged (target: at most"
        + " %d), %d of %d injected %s slowdowns flagged (target: at least %d)", pct(s.defaultThreshold()),
        atDefault.falseAlarms(), runs, allowed, atDefault.detections(), runs, pct(s.slowdown()), wanted));
    n.add(String.format(Locale.ROOT, "the injected slowdown measured as a median shift of %+.1f%% (median over the"
        + " comparisons)", 100 * measured));
    boolean defaultOk = atDefault.falseAlarms() <= allowed && atDefault.detections() >= wanted;
    if (defaultOk) {
      n.add("both targets are met at the suite's threshold: the nightly uses it on this machine");
    } else if (chosen.threshold() > s.defaultThreshold()) {
      n.add(String.format(Locale.ROOT, "the suite's %s threshold is not reachable here (too many false alarms); the"
          + " smallest threshold with at most %d false alarm(s) in %d is %s, and the nightly uses it on this machine"
          + " (there it flags %d of %d injected %s slowdowns)", pct(s.defaultThreshold()), allowed, runs,
          pct(chosen.threshold()), chosen.detections(), runs, pct(s.slowdown())));
      if (chosen.threshold() >= s.slowdown()) {
        n.add(String.format(Locale.ROOT, "a %s slowdown cannot be told from this machine's noise: only shifts beyond"
            + " about %s count here; run nightlies on a quieter machine (or more samples per set) to catch smaller"
            + " ones", pct(s.slowdown()), pct(chosen.threshold())));
      }
      if (chosen.falseAlarms() > allowed) {
        n.add("even the largest threshold tried keeps " + chosen.falseAlarms() + " false alarms: this machine is too"
            + " noisy for timing verdicts");
      }
    } else {
      n.add(String.format(Locale.ROOT, "false alarms are within the target at the suite's threshold, but only %d of"
          + " %d injected slowdowns were flagged (target %d): the %s threshold is kept, and slowdowns near %s are"
          + " often reported as inconclusive rather than as regressions here", atDefault.detections(), runs, wanted,
          pct(s.defaultThreshold()), pct(s.slowdown())));
    }
    return n;
  }

  private static double[] measure(Settings s, Backend backend, double slowdown, String name) {
    Suite.Bench b = s.target();
    if (s.inProcess()) {
      Backend used = slowdown > 0 ? new DelayedBackend(backend, slowdown) : backend;
      return probe(b, used);
    }
    List<String> cmd = new ArrayList<>(s.launcher());
    cmd.addAll(List.of("nightly", "probe", "--backend", b.backend(), "--spec", b.spec(), "--batch",
        String.valueOf(b.batch()), "--warmup", String.valueOf(b.warmup()), "--rounds", String.valueOf(b.rounds()),
        "--iterations", String.valueOf(b.iterations()), "--threads", String.valueOf(b.threads()), "--slowdown",
        String.valueOf(slowdown)));
    Path log = s.work().resolve("probe-" + name + ".log");
    try {
      Files.createDirectories(s.work());
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
      pb.environment().put("RESBENCH_SKIP_BUILD", "1");
      pb.environment().putIfAbsent("ORT_DISABLE_TELEMETRY", "1");
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("the probe JVM for set " + name + " did not finish in 30 minutes");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("the probe JVM for set " + name + " exited with " + p.exitValue() + ": "
            + Files.readString(log).strip());
      }
      JsonNode seconds = JsonCodec.mapper().readTree(text).get("seconds");
      double[] v = new double[seconds.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = seconds.get(i).asDouble();
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException("running a probe JVM (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calibrating", e);
    }
  }

  /** Times the target's inference calls on {@code backend} in this JVM: the raw samples in seconds. */
  public static double[] probe(Suite.Bench b, Backend backend) {
    BenchConfig cfg = new BenchConfig(SpecNames.build(b.spec()), List.of(b.batch()), b.warmup(), b.iterations(),
        b.rounds(), b.threads(), false, false, 0);
    BenchResult r = Benchmark.run(cfg, List.of(backend), line -> { });
    BenchResult.Cell c = r.find(backend.name(), b.batch(), Measure.INFERENCE);
    if (c == null) {
      throw new IllegalStateException(backend.name() + " produced no inference timings: " + r.skipped());
    }
    return c.seconds().values();
  }

  private static String pct(double f) {
    String s = String.format(Locale.ROOT, "%.1f", 100 * f);
    return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
  }
}
