package org.resbench.experiments.devtools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * A developer tool, not a test: seconds per training step of a constant-depth ResNet against the same net with
 * stochastic depth (Huang et al.; gates sampled per step as the trainer samples them), on several backends side by
 * side in one process. Rounds interleave every (backend, variant) cell, a few steps each, each round starting at the
 * next
 * cell, so that the ratios
 * stochastic / constant are taken from neighbouring steps on a noisy machine; the report gives each cell's median,
 * the median over rounds of the per-round ratio, and the first step of every cell (graph build and session creation
 * included). Variants: {@code constant} ({@code resnet-D}, all gates 1), {@code sd} ({@code resnet-D-sd}, gates drawn
 * per step), {@code sd-all} ({@code resnet-D-sd}, every gate 0.999: the gated graph with every branch running), and
 * {@code sd-computed}, as {@code sd} but opened with {@code -Dresbench.ort.conditionalBlocks=false} (ONNX Runtime
 * computes a dropped block's branch and multiplies it by 0, as before the branches became conditional).
 * Arguments: depth (110), batch (128), rounds (5), steps per round (2), backends (ort-cpu,djl-pytorch-cpu), variants
 * (constant,sd). Run from the repository root after {@code mvn -B -o -q -DskipTests package}:
 * <pre>
 * mvn -q -o -pl experiments dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/exp-cp.txt
 * ORT_DISABLE_TELEMETRY=1 java -Dai.djl.offline=true \
 *     -cp experiments/target/test-classes:experiments/target/classes:$(cat /tmp/exp-cp.txt) \
 *     org.resbench.experiments.devtools.StochasticDepthStepBench 110 128 5 2
 * </pre>
 */
public final class StochasticDepthStepBench {
  private StochasticDepthStepBench() {}

  /** One (backend, variant): its open session, its batch and its step times. */
  private static final class Cell {
    final String backend;
    final String variant;
    final ModelSpec spec;
    final Session session;
    final HostTensor input;
    final int[] labels;
    final List<Double> times = new ArrayList<>();
    final List<Double> roundMedians = new ArrayList<>();
    double first;
    long step;
    long activeBlocks;

    Cell(String backend, String variant, ModelSpec spec, Session session, HostTensor input, int[] labels) {
      this.backend = backend;
      this.variant = variant;
      this.spec = spec;
      this.session = session;
      this.input = input;
      this.labels = labels;
    }

    BlockGates gates() {
      return switch (variant) {
        case "constant" -> BlockGates.ones(spec);
        case "sd", "sd-computed" -> BlockGates.sample(spec, Rngs.stream(0, "gates/" + step));
        case "sd-all" -> {
          float[] v = new float[spec.blocks().size()];
          Arrays.fill(v, 0.999f);
          yield BlockGates.of(v);
        }
        default -> throw new IllegalArgumentException("variant=" + variant + "; allowed: constant, sd, sd-all,"
            + " sd-computed");
      };
    }

    double run() {
      BlockGates g = gates();
      for (float v : g.values()) {
        activeBlocks += v != 0 ? 1 : 0;
      }
      long t0 = System.nanoTime();
      double loss = session.trainStep(input, labels, g, 0.01).loss();
      double s = (System.nanoTime() - t0) / 1e9;
      if (!Double.isFinite(loss)) {
        throw new IllegalStateException(backend + " " + variant + ": loss " + loss);
      }
      step++;
      return s;
    }
  }

  public static void main(String[] args) {
    int depth = args.length > 0 ? Integer.parseInt(args[0]) : 110;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int steps = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    List<String> backends = List.of((args.length > 4 ? args[4] : "ort-cpu,djl-pytorch-cpu").split(","));
    List<String> variants = List.of((args.length > 5 ? args[5] : "constant,sd").split(","));
    ModelSpec constant = SpecNames.build("resnet-" + depth);
    ModelSpec sd = SpecNames.build("resnet-" + depth + "-sd");
    ModelState state = Initializer.initialize(constant, 0);
    ModelState sdState = Initializer.initialize(sd, 0);
    SessionOptions options = SessionOptions.builder().optSgd(SgdConfig.HE_2016).build();
    SplittableRandom r = Rngs.stream(0, "sd-bench/input");
    float[] x = new float[batch * constant.inputShape().size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Rngs.gaussian(r);
    }
    int[] shape = new int[constant.inputShape().rank() + 1];
    shape[0] = batch;
    System.arraycopy(constant.inputShape().dims(), 0, shape, 1, shape.length - 1);
    HostTensor input = HostTensor.of(x, shape);
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = r.nextInt(constant.outputs());
    }
    Backends all = Backends.discover();
    List<Cell> cells = new ArrayList<>();
    try {
      for (String b : backends) {
        Backend backend = all.get(b);
        for (String v : variants) {
          ModelSpec spec = v.equals("constant") ? constant : sd;
          if (v.equals("sd-computed") && !b.startsWith("ort")) {
            continue;
          }
          System.setProperty("resbench.ort.conditionalBlocks", String.valueOf(!v.equals("sd-computed")));
          Session s = backend.open(spec, v.equals("constant") ? state : sdState, options);
          System.clearProperty("resbench.ort.conditionalBlocks");
          Cell c = new Cell(b, v, spec, s, input, labels);
          cells.add(c);
          c.first = c.run();
          c.run(); // warm-up
          System.out.printf(Locale.ROOT, "%-16s %-8s first step (graph and session included) %.2f s%n", b, v,
              c.first);
        }
      }
      for (Cell c : cells) {
        c.activeBlocks = 0;
      }
      for (int round = 0; round < rounds; round++) {
        StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
        // Each round starts at the next cell, so that no cell always follows the same one (the first step after
        // another engine's pays for its memory and caches).
        for (int j = 0; j < cells.size(); j++) {
          Cell c = cells.get((round + j) % cells.size());
          double[] t = new double[steps];
          for (int i = 0; i < steps; i++) {
            t[i] = c.run();
            c.times.add(t[i]);
          }
          c.roundMedians.add(median(t));
          line.append(String.format(Locale.ROOT, "  %s/%s %.3f s", c.backend, c.variant, median(t)));
        }
        System.out.println(line);
      }
      System.out.printf(Locale.ROOT, "%nresnet-%d, batch %d, %d rounds x %d steps (seconds per training step,"
          + " median):%n", depth, batch, rounds, steps);
      for (Cell c : cells) {
        System.out.printf(Locale.ROOT, "  %-16s %-8s %.3f s  (min %.3f, max %.3f; active blocks per step %.1f of %d)%n",
            c.backend, c.variant, median(c.times), c.times.stream().mapToDouble(d -> d).min().orElse(0),
            c.times.stream().mapToDouble(d -> d).max().orElse(0), (double) c.activeBlocks / c.times.size(),
            c.spec.blocks().size());
      }
      for (String b : backends) {
        Cell base = find(cells, b, "constant");
        for (Cell c : cells) {
          if (c.backend.equals(b) && base != null && c != base) {
            double ratio = medianRatio(c.roundMedians, base.roundMedians);
            System.out.printf(Locale.ROOT, "  %-16s %s / constant: median of per-round ratios %.3f (saving %.1f%%)%n",
                b, c.variant, ratio, 100 * (1 - ratio));
          }
        }
      }
      for (String b : backends) {
        Cell skip = find(cells, b, "sd");
        Cell computed = find(cells, b, "sd-computed");
        if (skip != null && computed != null) {
          System.out.printf(Locale.ROOT, "  %-16s sd / sd-computed: median of per-round ratios %.3f%n", b,
              medianRatio(skip.roundMedians, computed.roundMedians));
        }
      }
      if (backends.size() > 1) {
        for (String v : variants) {
          Cell a = find(cells, backends.get(0), v);
          Cell b = find(cells, backends.get(1), v);
          if (a == null || b == null) {
            continue;
          }
          System.out.printf(Locale.ROOT, "  %s: %s / %s median of per-round ratios %.3f%n", v, backends.get(0),
              backends.get(1), medianRatio(a.roundMedians, b.roundMedians));
        }
      }
    } finally {
      for (Cell c : cells) {
        c.session.close();
      }
    }
  }

  private static Cell find(List<Cell> cells, String backend, String variant) {
    return cells.stream().filter(c -> c.backend.equals(backend) && c.variant.equals(variant)).findFirst()
        .orElse(null);
  }

  private static double medianRatio(List<Double> a, List<Double> b) {
    double[] r = new double[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i) / b.get(i);
    }
    return median(r);
  }

  private static double median(List<Double> v) {
    return median(v.stream().mapToDouble(d -> d).toArray());
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
