package org.resbench.backend.ort.devtools;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.Locale;
import java.util.Map;
import org.resbench.backend.ort.DevtoolsAccess;
import org.resbench.backend.ort.onnx.GraphPlan;
import org.resbench.backend.ort.onnx.GraphTarget;
import org.resbench.backend.ort.onnx.SpecGraphs;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

/**
 * A developer tool, not a test: how long ONNX Runtime takes to create a session for a generated training-step graph,
 * per graph-optimisation level, and how many nodes the graph has. Arguments: spec (resnet-20), gated (false), levels
 * (a comma list of ALL, EXTENDED, BASIC, NO), repeats (1), and {@code verbose} for ONNX Runtime's verbose log of each
 * session's creation, a batch size to fix (0: the batch dimension stays symbolic), and the weight-gradient slices. Run
 * like {@link TrainStepProfile}.
 */
public final class SessionCreationProbe {
  private SessionCreationProbe() {}

  private static void count(ai.onnx.proto.OnnxMl.GraphProto g, java.util.Map<String, Integer> byOp) {
    for (var n : g.getNodeList()) {
      byOp.merge(n.getOpType(), 1, Integer::sum);
      for (var a : n.getAttributeList()) {
        if (a.hasG()) {
          count(a.getG(), byOp);
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    ModelSpec spec = SpecNames.build(args.length > 0 ? args[0] : "resnet-20");
    boolean gated = args.length > 1 && Boolean.parseBoolean(args[1]);
    String[] levels = (args.length > 2 ? args[2] : "ALL").split(",");
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    boolean verbose = args.length > 4 && args[4].equals("verbose");
    int fixedBatch = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    OrtEnvironment env = DevtoolsAccess.environment();
    GraphTarget target = GraphTarget.ortCpu(DevtoolsAccess.nchwcBlock());
    if (args.length > 6) {
      target = target.withWeightGradientChunks(Integer.parseInt(args[6]));
    }
    long t0 = System.nanoTime();
    ai.onnx.proto.OnnxMl.ModelProto proto = SpecGraphs.build(spec, GraphPlan.trainStep(gated), null, null,
        SgdConfig.HE_2016, target, "probe",
        Map.of());
    if (fixedBatch > 0) {
      // The batch dimension fixed: every input's symbolic N becomes fixedBatch.
      var gb = proto.getGraph().toBuilder();
      for (int i = 0; i < gb.getInputCount(); i++) {
        var shape = gb.getInputBuilder(i).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        for (int d = 0; d < shape.getDimCount(); d++) {
          if (shape.getDim(d).hasDimParam()) {
            shape.setDim(d, shape.getDim(d).toBuilder().clearDimParam().setDimValue(fixedBatch));
          }
        }
      }
      proto = proto.toBuilder().setGraph(gb).build();
    }
    byte[] model = proto.toByteArray();
    double gen = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT,
        "%s train step (gated %b): %d nodes, %d initializers, %d bytes, generated in %.2f s%n",
        spec.name(), gated, proto.getGraph().getNodeCount(), proto.getGraph().getInitializerCount(), model.length, gen);
    java.util.Map<String, Integer> byOp = new java.util.TreeMap<>();
    count(proto.getGraph(), byOp);
    System.out.println("  nodes by operator (If branches included): " + byOp + ", "
        + byOp.values().stream().mapToInt(Integer::intValue).sum() + " in all");
    for (int r = 0; r < repeats; r++) {
      for (String level : levels) {
        OrtSession.SessionOptions.OptLevel optLevel = switch (level) {
          case "ALL" -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
          case "EXTENDED" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
          case "BASIC" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
          case "NO" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
          default -> throw new IllegalArgumentException("level=" + level);
        };
        // As ort-cpu creates it: no optimised copy written.
        try (OrtSession.SessionOptions o = DevtoolsAccess.cpuSessionOptions(0)) {
          o.setOptimizationLevel(optLevel);
          if (verbose) {
            o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE);
            o.setSessionLogVerbosityLevel(1);
          }
          long t = System.nanoTime();
          try (OrtSession s = env.createSession(model, o)) {
            System.out.printf(Locale.ROOT, "  %-9s session created in %.2f s%n", level, (System.nanoTime() - t) / 1e9);
          }
        }
        // What ONNX Runtime's optimiser made of it (the optimised main graph's operators by domain), and how long a
        // session takes to load that optimised copy with no further optimisation (what a cache of it would cost).
        java.nio.file.Path optimized = java.nio.file.Files.createTempFile("resbench-optimized", ".onnx");
        try (OrtSession.SessionOptions o = DevtoolsAccess.cpuSessionOptions(0)) {
          o.setOptimizationLevel(optLevel);
          o.setOptimizedModelFilePath(optimized.toString());
          long t = System.nanoTime();
          try (OrtSession s = env.createSession(model, o)) {
            System.out.printf(Locale.ROOT, "  %-9s session created and its optimised copy written in %.2f s%n", level,
                (System.nanoTime() - t) / 1e9);
          }
          var saved = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(optimized));
          java.util.Map<String, Integer> ops = new java.util.TreeMap<>();
          saved.getGraph().getNodeList().forEach(n -> ops.merge((n.getDomain().isEmpty() ? "" : n.getDomain() + ":")
              + n.getOpType(), 1, Integer::sum));
          System.out.println("    optimised: " + saved.getGraph().getNodeCount() + " nodes " + ops);
        }
        try (OrtSession.SessionOptions o = DevtoolsAccess.cpuSessionOptions(0)) {
          o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
          long t = System.nanoTime();
          try (OrtSession s = env.createSession(optimized.toString(), o)) {
            System.out.printf(Locale.ROOT, "  %-9s optimised copy loaded without optimisation in %.2f s%n", level,
                (System.nanoTime() - t) / 1e9);
          }
        } finally {
          java.nio.file.Files.deleteIfExists(optimized);
        }
      }
    }
  }
}
