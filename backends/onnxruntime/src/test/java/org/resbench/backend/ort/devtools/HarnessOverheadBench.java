package org.resbench.backend.ort.devtools;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.resbench.backend.ort.DevtoolsAccess;
import org.resbench.backend.ort.OrtCpuBackend;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * A developer tool, not a test: ort-cpu's harness path ({@code Session.forward}) against its bare ONNX Runtime loop
 * ({@code Backend.bareInference}) on the same model and input, as a JMH benchmark. {@code resbench bench} gives the
 * side-by-side table; this resolves the per-call overhead at batch 1, where one call takes a few hundred microseconds.
 *
 * <p>Pairing: one invocation of {@link #abba} is an ABBA group, harness, bare, bare, harness, each call timed on its
 * own, so the two paths alternate call by call, neither always runs first, and a drift that is linear over a group
 * (clock, heat, other processes on the shared cores) cancels in the group's ratio (A1 + A2) / (B1 + B2). JMH supplies
 * the forked JVM, the warm-up and measurement phases and the time per group (its score: two harness calls plus two
 * bare ones); its counters {@code harnessNanos} and {@code bareNanos} split that time (per iteration, and summed
 * over the measurement). Means are pulled by rare slow calls on a shared machine, so at the end of the trial the
 * fork prints, over the measured groups, the median harness and bare call, their ratio, the median of the paired
 * group ratios (the number to quote) and images/s through the harness.
 *
 * <p>Parameters: {@code spec} (resnet-20) and {@code batch} (1). Run from the repository root:
 * <pre>
 * mvn -q -o -pl backends/onnxruntime -am -DskipTests test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/ort-cp.txt
 * java -cp backends/onnxruntime/target/test-classes:backends/onnxruntime/target/classes:$(cat /tmp/ort-cp.txt) \
 *     org.resbench.backend.ort.devtools.HarnessOverheadBench resnet-20 1
 * </pre>
 * or, with JMH's own options (e.g. shorter phases), the same class path and
 * {@code org.openjdk.jmh.Main HarnessOverheadBench -p spec=resnet-20 -p batch=1 -wi 2 -i 3}. JMH's annotation
 * processor generates the benchmark's harness code when the test sources compile. Not thread-safe: one JMH thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HarnessOverheadBench {
  /** The spec's name. */
  @Param("resnet-20")
  public String spec;

  /** The batch size. */
  @Param("1")
  public int batch;

  private ModelSpec model;
  private Session session;
  private BareInference bare;
  private HostTensor input;
  private BlockGates ones;
  private boolean measuring;
  /** Per measured call: harness and bare times; per measured group: (A1 + A2) / (B1 + B2). */
  private final Samples harnessCalls = new Samples();
  private final Samples bareCalls = new Samples();
  private final Samples groupRatios = new Samples();

  /** JMH's split of the group time into the harness's and the bare loop's calls (reset every iteration). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Split {
    /** Nanoseconds in harness calls this iteration. */
    public long harnessNanos;
    /** Nanoseconds in bare-loop calls this iteration. */
    public long bareNanos;

    /** Counters are per iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      harnessNanos = 0;
      bareNanos = 0;
    }
  }

  /** Opens the session and the bare loop on the same weights and input. */
  @Setup(Level.Trial)
  public void open() {
    model = SpecNames.build(spec);
    ModelState state = Initializer.initialize(model, 0);
    input = DevtoolsAccess.input(model, batch, 1);
    ones = BlockGates.ones(model);
    Backend backend = new OrtCpuBackend();
    session = backend.open(model, state, SessionOptions.DEFAULT);
    bare = backend.bareInference(model, state, input, SessionOptions.DEFAULT).orElseThrow();
  }

  /** Records samples in measurement iterations only. */
  @Setup(Level.Iteration)
  public void phase(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
  }

  /** One ABBA group: harness, bare, bare, harness. */
  @Benchmark
  public double abba(Split split) {
    long t0 = System.nanoTime();
    HostTensor a1 = session.forward(input, BnMode.INFERENCE, ones);
    long t1 = System.nanoTime();
    double b1 = bare.runOnce();
    long t2 = System.nanoTime();
    double b2 = bare.runOnce();
    long t3 = System.nanoTime();
    HostTensor a2 = session.forward(input, BnMode.INFERENCE, ones);
    long t4 = System.nanoTime();
    long harness = (t1 - t0) + (t4 - t3);
    long bareNanos = t3 - t1;
    split.harnessNanos += harness;
    split.bareNanos += bareNanos;
    if (measuring) {
      harnessCalls.add(t1 - t0);
      harnessCalls.add(t4 - t3);
      bareCalls.add(t2 - t1);
      bareCalls.add(t3 - t2);
      groupRatios.add((double) harness / bareNanos);
    }
    return a1.data()[0] + a2.data()[0] + b1 + b2;
  }

  /** Prints the paired summary and releases the session and the bare loop. */
  @TearDown(Level.Trial)
  public void close() {
    try {
      if (groupRatios.size() > 0) {
        double h = harnessCalls.median();
        double b = bareCalls.median();
        System.out.printf(Locale.ROOT, "%n%s batch %d, %d ABBA groups: harness median %.1f us, bare median %.1f us,"
            + " harness/bare %.4f (median of paired group ratios %.4f); %.1f images/s through the harness%n",
            model.name(), batch, groupRatios.size(), h / 1e3, b / 1e3, h / b, groupRatios.median(), batch / (h / 1e9));
      }
    } finally {
      try {
        bare.close();
      } finally {
        session.close();
      }
    }
  }

  /** Runs this benchmark with JMH's defaults above; arguments: spec (resnet-20), batch (1). */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(HarnessOverheadBench.class.getName() + ".abba")
        .param("spec", args.length > 0 ? args[0] : "resnet-20")
        .param("batch", args.length > 1 ? args[1] : "1").build()).run();
  }

  /** A growable array of samples. */
  private static final class Samples {
    private double[] values = new double[1024];
    private int size;

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int size() {
      return size;
    }

    double median() {
      double[] s = Arrays.copyOf(values, size);
      Arrays.sort(s);
      return s[size / 2];
    }
  }
}
