package org.resbench.experiments.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.resbench.experiments.ResidentMemory;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.PeakProbe;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.harness.train.Trainer;
import org.resbench.results.stats.Samples;

/**
 * The one measuring code path of {@code resbench bench} and the {@code throughput} experiment: times inference,
 * bare engine inference and training steps of one spec on several backends in one process, and each engine's own
 * large matrix product ({@link #measurePeaks}). Each (backend, batch) is set up in turn (session opened and its
 * first, cold call timed, then its warm-up phase, with the resident-memory peak read around it); then rounds
 * interleave the backends and batch sizes, and within a round the harness path and the bare loop alternate call by
 * call in ABBA order, so that ratios taken from one run are fair on a noisy machine. Stateless; one run per call.
 */
public final class Benchmark {
  private Benchmark() {}

  /**
   * Runs the benchmark. Sessions stay open for the whole run (one per backend, batch size and measure), so every
   * round measures warm sessions. A backend that fails while being set up or measured is recorded in
   * {@link BenchResult#failures()} and dropped; the others go on.
   *
   * @param progress receives a line per finished (round, backend, batch)
   */
  public static BenchResult run(BenchConfig cfg, List<Backend> backends, Consumer<String> progress) {
    List<String> skipped = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    ModelState state = Initializer.initialize(cfg.spec(), cfg.seed());
    SessionOptions options = SessionOptions.builder().optThreads(cfg.threads()).optSgd(SgdConfig.HE_2016).build();
    BlockGates gates = BlockGates.inference(cfg.spec());
    List<Slot> slots = new ArrayList<>();
    try {
      for (Backend b : backends) {
        Capabilities caps = b.probe();
        if (!caps.can(Capability.INFERENCE)) {
          skipped.add(b.name() + ": " + (caps.available() ? "cannot run inference" : caps.unavailableReason()));
          continue;
        }
        boolean train = cfg.train() && caps.can(Capability.TRAINING);
        if (cfg.train() && !train) {
          skipped.add(b.name() + " train-step: the backend cannot train");
        }
        boolean noBare = false;
        for (int batch : cfg.batches()) {
          Slot s = new Slot(b, batch, randomInput(cfg, batch), randomLabels(cfg, batch));
          try {
            setUp(s, cfg, state, options, gates, train);
            slots.add(s);
            noBare |= cfg.bare() && s.bare == null;
            if (s.trainProblem instanceof IllegalArgumentException) {
              skipped.add(b.name() + " train-step at batch " + batch + ": " + message(s.trainProblem));
            } else if (s.trainProblem != null) {
              failures.add(b.name() + " batch " + batch + ": train-step set-up failed: " + message(s.trainProblem));
            }
          } catch (RuntimeException e) {
            s.close();
            failures.add(b.name() + " batch " + batch + ": set-up failed: " + message(e));
          }
        }
        if (noBare) {
          skipped.add(b.name() + " bare-inference: the backend has no bare loop");
        }
      }
      for (int round = 0; round < cfg.rounds(); round++) {
        for (Iterator<Slot> it = slots.iterator(); it.hasNext(); ) {
          Slot s = it.next();
          try {
            measureRound(s, cfg, gates);
          } catch (RuntimeException e) {
            failures.add(s.backend.name() + " batch " + s.batch + ": failed in round " + (round + 1) + ": "
                + message(e));
            s.close();
            it.remove();
            continue;
          }
          progress.accept(String.format(Locale.ROOT, "round %d/%d  %-16s batch %-4d inference %.2f ms%s",
              round + 1, cfg.rounds(), s.backend.name(), s.batch, 1e3 * new Samples(toArray(s.inference)).median(),
              s.trainTimes.isEmpty() ? "" : String.format(Locale.ROOT, ", train-step %.2f ms",
                  1e3 * new Samples(toArray(s.trainTimes)).median())));
        }
      }
      long groupPeak = ResidentMemory.peak();
      List<BenchResult.Cell> cells = new ArrayList<>();
      for (Slot s : slots) {
        cells.add(s.cell(Measure.INFERENCE, s.inference, s.openInference, s.coldInference));
        if (!s.bareTimes.isEmpty()) {
          cells.add(s.cell(Measure.BARE_INFERENCE, s.bareTimes, s.openBare, s.coldBare));
        }
        if (!s.trainTimes.isEmpty()) {
          cells.add(s.cell(Measure.TRAIN_STEP, s.trainTimes, s.openTrainer, s.coldTrain));
        }
      }
      return new BenchResult(cfg.spec().name(), cfg.spec().macs(), cfg.threads(), cells, skipped, failures,
          groupPeak);
    } finally {
      for (Slot s : slots) {
        s.close();
      }
    }
  }

  /** Opens a slot's sessions, times their first calls, runs the warm-up, and reads resident memory around it. */
  private static void setUp(Slot s, BenchConfig cfg, ModelState state, SessionOptions options, BlockGates gates,
      boolean train) {
    s.peakWasReset = ResidentMemory.resetPeak();
    s.rssBefore = ResidentMemory.current();
    long t0 = System.nanoTime();
    s.session = s.backend.open(cfg.spec(), state, options);
    s.openInference = since(t0);
    t0 = System.nanoTime();
    s.session.forward(s.input, BnMode.INFERENCE, gates);
    s.coldInference = since(t0);
    if (cfg.bare()) {
      t0 = System.nanoTime();
      Optional<BareInference> bare = s.backend.bareInference(cfg.spec(), state, s.input, options);
      s.openBare = since(t0);
      s.bare = bare.orElse(null);
      if (s.bare != null) {
        t0 = System.nanoTime();
        s.bare.runOnce();
        s.coldBare = since(t0);
      }
    }
    if (train) {
      // A training step the engine refuses or fails does not cost the slot its inference measurements: an
      // IllegalArgumentException is an input the backend does not allow (e.g. batch 1 with BatchNorm over features,
      // one value per channel), anything else a failure; both are reported.
      try {
        t0 = System.nanoTime();
        s.trainer = s.backend.open(cfg.spec(), state, options);
        s.openTrainer = since(t0);
        t0 = System.nanoTime();
        trainStep(s, cfg);
        s.coldTrain = since(t0);
      } catch (RuntimeException e) {
        if (s.trainer != null) {
          s.trainer.close();
          s.trainer = null;
        }
        s.trainProblem = e;
      }
    }
    long start = System.nanoTime();
    for (int i = 0; !cfg.warmup().over(i, since(start)); i++) {
      s.session.forward(s.input, BnMode.INFERENCE, gates);
      if (s.bare != null) {
        s.bare.runOnce();
      }
    }
    if (s.trainer != null) {
      start = System.nanoTime();
      for (int i = 0; !cfg.warmup().over(i, since(start)); i++) {
        trainStep(s, cfg);
      }
    }
    s.peakRss = ResidentMemory.peak();
  }

  /**
   * One training step of {@code s}. A stochastic-depth spec's gates are drawn per step exactly as {@link Trainer}
   * draws them (a function of the seed and the step), so a dropped block costs here what it costs in training; other
   * specs' gates are all 1.
   */
  private static void trainStep(Slot s, BenchConfig cfg) {
    s.trainer.trainStep(s.input, s.labels, Trainer.gates(cfg.spec(), cfg.seed(), s.trainSteps++), 1e-3);
  }

  /** One round of a slot: the measure phase of inference (ABBA with the bare loop), then of training steps. */
  private static void measureRound(Slot s, BenchConfig cfg, BlockGates gates) {
    long start = System.nanoTime();
    for (int i = 0; i == 0 || !cfg.measure().over(i, since(start)); i++) {
      // ABBA order: the harness call goes first on even iterations and second on odd ones, so whatever the first
      // call of a pair pays (cache, frequency) is shared equally by both paths.
      boolean harnessFirst = s.bare == null || i % 2 == 0;
      if (!harnessFirst) {
        s.bareTimes.add(timeBare(s));
      }
      long t0 = System.nanoTime();
      s.session.forward(s.input, BnMode.INFERENCE, gates);
      s.inference.add(since(t0));
      if (harnessFirst && s.bare != null) {
        s.bareTimes.add(timeBare(s));
      }
    }
    if (s.trainer != null) {
      start = System.nanoTime();
      for (int i = 0; i == 0 || !cfg.measure().over(i, since(start)); i++) {
        long t0 = System.nanoTime();
        trainStep(s, cfg);
        s.trainTimes.add(since(t0));
      }
    }
  }

  /**
   * Times each backend's own large matrix product ({@link Backend#peakProbe}) at each size with {@code threads}
   * intra-op threads: a warm-up phase, then a measurement phase, per size. Backends without a probe, or whose probe
   * fails, are listed in {@code notes} with the reason and have no measurement.
   *
   * @param progress receives a line per measured (backend, size)
   */
  public static List<PeakMeasurement> measurePeaks(List<Backend> backends, int threads, List<Integer> sizes,
      Phase warmup, Phase measure, Consumer<String> progress, List<String> notes) {
    measure.requireMeasuring("peak measure");
    SessionOptions options = SessionOptions.builder().optThreads(threads).build();
    List<PeakMeasurement> out = new ArrayList<>();
    for (Backend b : backends) {
      if (!b.probe().available()) {
        continue;
      }
      for (int n : sizes) {
        try {
          Optional<PeakProbe> probe = b.peakProbe(n, options);
          if (probe.isEmpty()) {
            notes.add(b.name() + ": no peak measured (the backend has no peak probe)");
            break;
          }
          try (PeakProbe p = probe.get()) {
            long start = System.nanoTime();
            for (int i = 0; !warmup.over(i, since(start)); i++) {
              p.runOnce();
            }
            List<Double> times = new ArrayList<>();
            start = System.nanoTime();
            for (int i = 0; i == 0 || !measure.over(i, since(start)); i++) {
              long t0 = System.nanoTime();
              p.runOnce();
              times.add(since(t0));
            }
            PeakMeasurement m = new PeakMeasurement(b.name(), threads, n, p.description(), p.flopsPerCall(),
                new Samples(toArray(times)));
            out.add(m);
            progress.accept(String.format(Locale.ROOT, "peak %-16s n=%-5d %.1f GFLOP/s (%d calls)", b.name(), n,
                m.gflops(), times.size()));
          }
        } catch (RuntimeException e) {
          notes.add(b.name() + ": the peak probe at n=" + n + " failed: " + message(e));
        }
      }
    }
    return out;
  }

  private static String message(RuntimeException e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double timeBare(Slot s) {
    long t = System.nanoTime();
    s.bare.runOnce();
    return since(t);
  }

  private static HostTensor randomInput(BenchConfig cfg, int batch) {
    SplittableRandom r = Rngs.stream(cfg.seed(), "bench/input/" + batch);
    float[] x = new float[Math.multiplyExact(batch, cfg.spec().inputShape().size())];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Rngs.gaussian(r);
    }
    int[] shape = new int[cfg.spec().inputShape().rank() + 1];
    shape[0] = batch;
    System.arraycopy(cfg.spec().inputShape().dims(), 0, shape, 1, shape.length - 1);
    return HostTensor.of(x, shape);
  }

  private static int[] randomLabels(BenchConfig cfg, int batch) {
    SplittableRandom r = Rngs.stream(cfg.seed(), "bench/labels/" + batch);
    int[] y = new int[batch];
    for (int i = 0; i < batch; i++) {
      y[i] = r.nextInt(cfg.spec().outputs());
    }
    return y;
  }

  static double[] toArray(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The open sessions, set-up figures and timings of one (backend, batch). Closing is idempotent. */
  private static final class Slot {
    final Backend backend;
    final int batch;
    final HostTensor input;
    final int[] labels;
    Session session;
    BareInference bare;
    Session trainer;
    double openInference = Double.NaN;
    double coldInference = Double.NaN;
    double openBare = Double.NaN;
    double coldBare = Double.NaN;
    double openTrainer = Double.NaN;
    double coldTrain = Double.NaN;
    long rssBefore = -1;
    long peakRss = -1;
    boolean peakWasReset;
    /** Why the slot has no training step although one was asked for, or null. */
    RuntimeException trainProblem;
    final List<Double> inference = new ArrayList<>();
    final List<Double> bareTimes = new ArrayList<>();
    final List<Double> trainTimes = new ArrayList<>();
    /** Training steps taken so far (cold, warm-up and measured): the step number of the next one's gates. */
    int trainSteps;

    Slot(Backend backend, int batch, HostTensor input, int[] labels) {
      this.backend = backend;
      this.batch = batch;
      this.input = input;
      this.labels = labels;
    }

    BenchResult.Cell cell(Measure m, List<Double> times, double open, double cold) {
      return new BenchResult.Cell(backend.name(), batch, m, new Samples(toArray(times)), open, cold, rssBefore,
          peakRss, peakWasReset);
    }

    void close() {
      if (session != null) {
        session.close();
        session = null;
      }
      if (bare != null) {
        bare.close();
        bare = null;
      }
      if (trainer != null) {
        trainer.close();
        trainer = null;
      }
    }
  }
}
