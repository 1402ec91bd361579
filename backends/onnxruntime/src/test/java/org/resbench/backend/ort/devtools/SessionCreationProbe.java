package org.resbench.backend.ort.devtools;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.Locale;
import java.util.Map;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.backend.ort.DevtoolsAccess;
import org.resbench.backend.ort.onnx.GraphPlan;
import org.resbench.backend.ort.onnx.GraphTarget;
import org.resbench.backend.ort.onnx.SpecGraphs;

/**
 * A developer tool, not a test: how long ONNX Runtime takes to create a session for a generated training-step graph,
 * per graph-optimisation level, and how many nodes the graph has. Arguments: spec (resnet-20), gated (false), levels
 * (a comma list of ALL, EXTENDED, BASIC, NO), repeats (1). Run like {@link TrainStepProfile}.
 */
public final class SessionCreationProbe {
  private SessionCreationProbe() {}

  public static void main(String[] args) throws Exception {
    ModelSpec spec = SpecNames.build(args.length > 0 ? args[0] : "resnet-20");
    boolean gated = args.length > 1 && Boolean.parseBoolean(args[1]);
    String[] levels = (args.length > 2 ? args[2] : "ALL").split(",");
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    OrtEnvironment env = DevtoolsAccess.environment();
    GraphTarget target = GraphTarget.ortCpu(DevtoolsAccess.nchwcBlock());
    long t0 = System.nanoTime();
    var proto = SpecGraphs.build(spec, GraphPlan.trainStep(gated), null, null, SgdConfig.HE_2016, target, "probe",
        Map.of());
    byte[] model = proto.toByteArray();
    double gen = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%s train step (gated %b): %d nodes, %d initializers, %d bytes, generated in %.2f s%n",
        spec.name(), gated, proto.getGraph().getNodeCount(), proto.getGraph().getInitializerCount(), model.length, gen);
    for (int r = 0; r < repeats; r++) {
      for (String level : levels) {
        try (OrtSession.SessionOptions o = DevtoolsAccess.cpuSessionOptions(0)) {
          o.setOptimizationLevel(switch (level) {
            case "ALL" -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            case "EXTENDED" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case "BASIC" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case "NO" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
            default -> throw new IllegalArgumentException("level=" + level);
          });
          long t = System.nanoTime();
          try (OrtSession s = env.createSession(model, o)) {
            System.out.printf(Locale.ROOT, "  %-9s session created in %.2f s%n", level, (System.nanoTime() - t) / 1e9);
          }
        }
      }
    }
  }
}
