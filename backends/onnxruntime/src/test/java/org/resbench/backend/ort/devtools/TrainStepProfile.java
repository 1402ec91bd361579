package org.resbench.backend.ort.devtools;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resbench.backend.ort.DevtoolsAccess;
import org.resbench.backend.ort.onnx.GraphNames;
import org.resbench.backend.ort.onnx.GraphPlan;
import org.resbench.backend.ort.onnx.GraphTarget;
import org.resbench.backend.ort.onnx.SpecGraphs;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.SpecNames;

/**
 * A developer tool, not a test: where a generated training step's time goes, from ONNX Runtime's own profiler
 * ({@code SessionOptions.enableProfiling}), per kind of work and per operator, as medians over the measured steps
 * (the profiler adds about a tenth to a step). The graph, weights and thread pool are ort-cpu's; the state is fed
 * unchanged in every step, so every step does the same work. Arguments: spec (resnet-20), batch (128), measured
 * steps (10), target ({@code cpu}: ort-cpu's graphs; {@code portable}: standard operators only), gates ({@code plain}:
 * the graph without gates; {@code gated}: the gated graph, every gate 1; {@code dropK}: every K-th block dropped).
 * Run from the repository root:
 * <pre>
 * mvn -q -o -pl backends/onnxruntime -am -DskipTests test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/ort-cp.txt
 * java -cp backends/onnxruntime/target/test-classes:backends/onnxruntime/target/classes:$(cat /tmp/ort-cp.txt) \
 *     org.resbench.backend.ort.devtools.TrainStepProfile resnet-20 128 10 cpu
 * </pre>
 */
public final class TrainStepProfile {
  private TrainStepProfile() {}

  private static final Pattern DUR = Pattern.compile("\"dur\" :(\\d+)");
  private static final Pattern TS = Pattern.compile("\"ts\" :(\\d+)");
  private static final Pattern NAME = Pattern.compile("\"name\" :\"([^\"]*)\"");
  private static final Pattern OP = Pattern.compile("\"op_name\" : \"([^\"]*)\"");

  public static void main(String[] args) throws Exception {
    ModelSpec spec = SpecNames.build(args.length > 0 ? args[0] : "resnet-20");
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    boolean cpu = args.length <= 3 || args[3].equals("cpu");
    String gating = args.length > 4 ? args[4] : "plain";
    boolean gated = !gating.equals("plain");
    OrtEnvironment env = DevtoolsAccess.environment();
    GraphTarget target = cpu ? GraphTarget.ortCpu(DevtoolsAccess.nchwcBlock()) : GraphTarget.PORTABLE;
    byte[] model = SpecGraphs.build(spec, GraphPlan.trainStep(gated), null, null, SgdConfig.HE_2016, target,
        "profile", Map.of()).toByteArray();
    ModelState state = Initializer.initialize(spec, 0);
    Path dir = Files.createTempDirectory("resbench-profile");
    List<AutoCloseable> owned = new ArrayList<>();
    String file;
    try (OrtSession.SessionOptions o = DevtoolsAccess.cpuSessionOptions(0)) {
      o.enableProfiling(dir.resolve("train-step").toString());
      try (OrtSession s = env.createSession(model, o)) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        feeds.put(GraphNames.INPUT, tensor(env, DevtoolsAccess.input(spec, batch, 1).data(), owned,
            DevtoolsAccess.input(spec, batch, 1).longShape()));
        long[] labels = Arrays.stream(DevtoolsAccess.labels(batch, spec.outputs(), 2)).asLongStream().toArray();
        OnnxTensor y = OnnxTensor.createTensor(env, LongBuffer.wrap(labels), new long[] {batch});
        owned.add(y);
        feeds.put(GraphNames.LABELS, y);
        if (gated) {
          float[] gates = new float[spec.blocks().size()];
          Arrays.fill(gates, 1f);
          if (gating.startsWith("drop")) {
            for (int i = 0; i < gates.length; i += Integer.parseInt(gating.substring(4))) {
              gates[i] = 0f;
            }
          }
          feeds.put(GraphNames.GATES, tensor(env, gates, owned, new long[] {gates.length}));
        }
        OnnxTensor lr = OnnxTensor.createTensor(env, 0.01f);
        owned.add(lr);
        feeds.put(GraphNames.LEARNING_RATE, lr);
        for (ParameterSpec p : spec.parameters()) {
          feeds.put(p.name(), tensor(env, state.get(p.name()).data(), owned, state.get(p.name()).longShape()));
          if (p.trainable()) {
            feeds.put(GraphNames.velocity(p.name()), tensor(env, new float[p.shape().size()], owned,
                state.get(p.name()).longShape()));
          }
        }
        int warmup = 3;
        for (int i = 0; i < warmup + steps; i++) {
          s.run(feeds).close();
        }
        file = s.endProfiling();
      }
    } finally {
      for (AutoCloseable c : owned) {
        c.close();
      }
    }
    report(spec, batch, target, Path.of(file), steps);
  }

  private static OnnxTensor tensor(OrtEnvironment env, float[] data, List<AutoCloseable> owned, long[] shape)
      throws Exception {
    OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    owned.add(t);
    return t;
  }

  /** One kernel event of the profile. */
  private record Event(long ts, long dur, String node, String op) {}

  private static void report(ModelSpec spec, int batch, GraphTarget target, Path file, int steps) throws Exception {
    List<long[]> runs = new ArrayList<>();
    List<Event> kernels = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      Matcher name = NAME.matcher(line);
      Matcher dur = DUR.matcher(line);
      Matcher ts = TS.matcher(line);
      if (!name.find() || !dur.find() || !ts.find()) {
        continue;
      }
      long t = Long.parseLong(ts.group(1));
      long d = Long.parseLong(dur.group(1));
      if (name.group(1).equals("model_run")) {
        runs.add(new long[] {t, t + d});
      } else if (name.group(1).endsWith("_kernel_time")) {
        Matcher op = OP.matcher(line);
        String n = name.group(1).substring(0, name.group(1).length() - "_kernel_time".length());
        kernels.add(new Event(t, d, n.startsWith("node/") ? n.substring(5) : n, op.find() ? op.group(1) : "?"));
      }
    }
    List<long[]> measured = runs.subList(runs.size() - steps, runs.size());
    Map<String, double[]> byKind = new LinkedHashMap<>();
    Map<String, double[]> byOp = new TreeMap<>();
    Map<String, double[]> ifTime = new TreeMap<>();
    for (int i = 0; i < measured.size(); i++) {
      long[] w = measured.get(i);
      for (Event e : kernels) {
        if (e.ts() >= w[0] && e.ts() <= w[1] && e.op().equals("If")) {
          // An If's time includes its branch's nodes, which are counted themselves.
          ifTime.computeIfAbsent("If nodes (their branches' nodes included; not in the sums)",
              k -> new double[measured.size()])[i] += e.dur() / 1e3;
        } else if (e.ts() >= w[0] && e.ts() <= w[1]) {
          byKind.computeIfAbsent(kind(e), k -> new double[measured.size()])[i] += e.dur() / 1e3;
          byOp.computeIfAbsent(e.op(), k -> new double[measured.size()])[i] += e.dur() / 1e3;
        }
      }
    }
    double[] wall = measured.stream().mapToDouble(w -> (w[1] - w[0]) / 1e3).toArray();
    System.out.printf(Locale.ROOT, "%s, batch %d, %s (NCHWc block %d, weight-gradient slices %d): %d steps,"
        + " median step %.1f ms under the profiler%n", spec.name(), batch, target == GraphTarget.PORTABLE
        ? "portable graph" : "ort-cpu graph", target.nchwcBlock(), target.weightGradientChunks(), steps,
        median(wall));
    print("by kind of work", byKind, median(wall));
    print("by operator", byOp, median(wall));
    double[] sums = new double[measured.size()];
    for (double[] v : byOp.values()) {
      for (int i = 0; i < sums.length; i++) {
        sums[i] += v[i];
      }
    }
    ifTime.put("every node's kernel time (If nodes left out)", sums);
    print("totals", ifTime, median(wall));
    System.out.println("profile: " + file);
  }

  private static String kind(Event e) {
    String n = e.node();
    boolean conv = e.op().equals("Conv") || e.op().equals("ConvTranspose");
    if (conv && (n.startsWith("taps_") || n.startsWith("shifts_") || n.startsWith("im2col_"))) {
      return "weight gradients: patches (one-hot convolutions)";
    }
    if (e.op().equals("MatMul") || e.op().equals("FusedMatMul") || e.op().equals("Gemm")) {
      return "weight gradients: MatMul (and the head's Gemm, tiny)";
    }
    if (e.op().equals("Split")) {
      return "weight gradients: batch slices (Split)";
    }
    if (e.op().startsWith("Reorder")) {
      return "NCHWc <-> NCHW conversions";
    }
    if (conv && (n.contains(".bn") || n.contains(".merge"))) {
      return "BatchNorm affine passes (depthwise 1x1, + merge, ReLU)";
    }
    if (conv && n.startsWith("d_subsample")) {
      return "shortcut scatter (option A)";
    }
    if (conv && n.startsWith("d_")) {
      return "convolutions: input gradients";
    }
    if (conv) {
      return "convolutions: forward";
    }
    if (e.op().startsWith("Reduce")) {
      return "reductions (BatchNorm statistics and gradients, weight-gradient sums)";
    }
    if (e.op().equals("Reshape") || e.op().equals("Transpose") || e.op().equals("Slice") || e.op().equals("Pad")) {
      return "Reshape, Transpose, Slice, Pad";
    }
    return "other element-wise (Mul, Sub, Add, Greater, Cast, ...)";
  }

  private static void print(String title, Map<String, double[]> groups, double step) {
    System.out.println(title + " (median ms per step, share of the median step):");
    groups.entrySet().stream().sorted((a, b) -> Double.compare(median(b.getValue()), median(a.getValue())))
        .forEach(e -> System.out.printf(Locale.ROOT, "  %-72s %8.2f  %5.1f%%%n", e.getKey(), median(e.getValue()),
            100 * median(e.getValue()) / step));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length == 0 ? 0 : s[s.length / 2];
  }
}
