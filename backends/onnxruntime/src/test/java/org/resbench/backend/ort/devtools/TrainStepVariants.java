package org.resbench.backend.ort.devtools;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * A developer tool, not a test: seconds per training step of one spec under several variants of graph and session
 * options, side by side in one process (rounds interleave the variants, each round starting at the next), with each
 * variant's session creation time and its median step as a ratio to the first variant's (median of per-round ratios).
 * The state is fed unchanged in every step (the same work each time). A variant is
 * {@code GRAPH:LEVEL[:CHUNKS]}: GRAPH is {@code plain} (all gates 1, no gates input), {@code gated} (gates input, all
 * 1,
 * conditional blocks), {@code gated-computed} (gates input, all 1, every branch computed) or {@code dropK} (conditional
 * blocks, every K-th block dropped); LEVEL an ONNX Runtime optimisation level (ALL, EXTENDED, BASIC, NO); CHUNKS the
 * weight-gradient slices (default, or empty: the CPU target's); THREADS intra-op threads (0, default: the global pool;
 * else a pool of the session's own). Written {@code GRAPH[/portable]:LEVEL[:CHUNKS[:THREADS]]}; {@code /portable}: the
 * standard-operator graph instead of the CPU target's. Arguments: spec, batch, rounds, variants... Run like
 * {@link TrainStepProfile}, e.g. {@code TrainStepVariants resnet-20 128 8 plain:ALL gated:ALL gated:NO}.
 */
public final class TrainStepVariants {
  private TrainStepVariants() {}

  public static void main(String[] args) throws Exception {
    ModelSpec spec = SpecNames.build(args[0]);
    int batch = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    List<String> variants = Arrays.asList(args).subList(3, args.length);
    OrtEnvironment env = DevtoolsAccess.environment();
    ModelState state = Initializer.initialize(spec, 0);
    List<AutoCloseable> owned = new ArrayList<>();
    List<OrtSession> sessions = new ArrayList<>();
    List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
    try {
      Map<String, OnnxTensor> common = new HashMap<>();
      common.put(GraphNames.INPUT, tensor(env, DevtoolsAccess.input(spec, batch, 1).data(), owned,
          DevtoolsAccess.input(spec, batch, 1).longShape()));
      long[] labels = Arrays.stream(DevtoolsAccess.labels(batch, spec.outputs(), 2)).asLongStream().toArray();
      OnnxTensor y = OnnxTensor.createTensor(env, LongBuffer.wrap(labels), new long[] {batch});
      owned.add(y);
      common.put(GraphNames.LABELS, y);
      OnnxTensor lr = OnnxTensor.createTensor(env, 0.01f);
      owned.add(lr);
      common.put(GraphNames.LEARNING_RATE, lr);
      for (ParameterSpec p : spec.parameters()) {
        common.put(p.name(), tensor(env, state.get(p.name()).data(), owned, state.get(p.name()).longShape()));
        if (p.trainable()) {
          common.put(GraphNames.velocity(p.name()), tensor(env, new float[p.shape().size()], owned,
              state.get(p.name()).longShape()));
        }
      }
      for (String v : variants) {
        String[] parts = v.split(":");
        boolean portable = parts[0].endsWith("/portable");
        parts[0] = parts[0].replace("/portable", "");
        GraphTarget target = portable ? GraphTarget.PORTABLE : GraphTarget.ortCpu(DevtoolsAccess.nchwcBlock());
        if (parts.length > 2 && !parts[2].isEmpty()) {
          target = target.withWeightGradientChunks(Integer.parseInt(parts[2]));
        }
        int threads = parts.length > 3 ? Integer.parseInt(parts[3]) : 0;
        boolean gated = !parts[0].equals("plain");
        if (parts[0].equals("gated-computed")) {
          target = target.withConditionalBlocks(false);
        }
        float[] gates = new float[spec.blocks().size()];
        Arrays.fill(gates, 1f);
        if (parts[0].startsWith("drop")) {
          int k = Integer.parseInt(parts[0].substring(4));
          for (int i = 0; i < gates.length; i += k) {
            gates[i] = 0f;
          }
        }
        var model = SpecGraphs.build(spec, GraphPlan.trainStep(gated), null, null, SgdConfig.HE_2016, target,
            "variants", Map.of());
        try (OrtSession.SessionOptions o = DevtoolsAccess.cpuSessionOptions(threads)) {
          o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.valueOf(switch (parts[1]) {
            case "ALL" -> "ALL_OPT";
            case "EXTENDED" -> "EXTENDED_OPT";
            case "BASIC" -> "BASIC_OPT";
            case "NO" -> "NO_OPT";
            default -> throw new IllegalArgumentException("level=" + parts[1]);
          }));
          long t = System.nanoTime();
          OrtSession s = env.createSession(model.toByteArray(), o);
          System.out.printf(Locale.ROOT, "%-24s %6d nodes, session created in %.2f s%n", v,
              model.getGraph().getNodeCount(), (System.nanoTime() - t) / 1e9);
          sessions.add(s);
        }
        Map<String, OnnxTensor> f = new HashMap<>(common);
        if (gated) {
          f.put(GraphNames.GATES, tensor(env, gates, owned, new long[] {gates.length}));
        }
        feeds.add(f);
        sessions.get(sessions.size() - 1).run(f).close();
      }
      int n = variants.size();
      double[][] times = new double[n][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int j = 0; j < n; j++) {
          int i = (r + j) % n;
          long t = System.nanoTime();
          sessions.get(i).run(feeds.get(i)).close();
          times[i][r] = (System.nanoTime() - t) / 1e9;
        }
      }
      System.out.printf(Locale.ROOT, "%s, batch %d, %d rounds:%n", spec.name(), batch, rounds);
      for (int i = 0; i < n; i++) {
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = times[i][r] / times[0][r];
        }
        System.out.printf(Locale.ROOT, "  %-24s median %.4f s   / %s: %.3f%n", variants.get(i), median(times[i]),
            variants.get(0), median(ratio));
      }
    } finally {
      for (OrtSession s : sessions) {
        s.close();
      }
      for (AutoCloseable c : owned) {
        c.close();
      }
    }
  }

  private static OnnxTensor tensor(OrtEnvironment env, float[] data, List<AutoCloseable> owned, long[] shape)
      throws Exception {
    OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    owned.add(t);
    return t;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
