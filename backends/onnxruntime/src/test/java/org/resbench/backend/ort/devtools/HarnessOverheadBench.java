package org.resbench.backend.ort.devtools;

import java.util.Arrays;
import java.util.Locale;
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
 * A developer tool, not a test: ort-cpu's harness path ({@code Session.forward}) against its bare ONNX Runtime
 * loop on the same model and input, call by call in alternating order (ABBA, so neither side always runs
 * first), with medians of thousands of calls. {@code resbench bench} gives the side-by-side table; this
 * resolves the per-call overhead at batch 1, where one call takes a few hundred microseconds. Arguments: spec
 * (resnet-20), batch (1), calls (3000). Run from the repository root:
 * <pre>
 * mvn -q -o -pl backends/onnxruntime -am -DskipTests test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/ort-cp.txt
 * java -cp backends/onnxruntime/target/test-classes:backends/onnxruntime/target/classes:$(cat /tmp/ort-cp.txt) \
 *     org.resbench.backend.ort.devtools.HarnessOverheadBench resnet-20 1 3000
 * </pre>
 */
public final class HarnessOverheadBench {
  private HarnessOverheadBench() {}

  public static void main(String[] args) {
    ModelSpec spec = SpecNames.build(args.length > 0 ? args[0] : "resnet-20");
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
    ModelState state = Initializer.initialize(spec, 0);
    HostTensor x = DevtoolsAccess.input(spec, batch, 1);
    BlockGates ones = BlockGates.ones(spec);
    Backend backend = new OrtCpuBackend();
    try (Session s = backend.open(spec, state, SessionOptions.DEFAULT);
        BareInference bare = backend.bareInference(spec, state, x, SessionOptions.DEFAULT).orElseThrow()) {
      for (int i = 0; i < Math.max(20, calls / 10); i++) {
        s.forward(x, BnMode.INFERENCE, ones);
        bare.runOnce();
      }
      double[] harness = new double[calls];
      double[] engine = new double[calls];
      double[] ratio = new double[calls];
      for (int i = 0; i < calls; i++) {
        boolean harnessFirst = i % 2 == 0;
        long t0 = System.nanoTime();
        if (harnessFirst) {
          s.forward(x, BnMode.INFERENCE, ones);
        } else {
          bare.runOnce();
        }
        long t1 = System.nanoTime();
        if (harnessFirst) {
          bare.runOnce();
        } else {
          s.forward(x, BnMode.INFERENCE, ones);
        }
        long t2 = System.nanoTime();
        harness[i] = harnessFirst ? t1 - t0 : t2 - t1;
        engine[i] = harnessFirst ? t2 - t1 : t1 - t0;
        ratio[i] = harness[i] / engine[i];
      }
      Arrays.sort(harness);
      Arrays.sort(engine);
      Arrays.sort(ratio);
      System.out.printf(Locale.ROOT, "%s batch %d, %d calls each: harness median %.1f us, bare median %.1f us,"
          + " harness/bare %.4f (median of paired ratios %.4f); %.1f images/s through the harness%n", spec.name(),
          batch, calls, harness[calls / 2] / 1e3, engine[calls / 2] / 1e3, harness[calls / 2] / engine[calls / 2],
          ratio[calls / 2], batch / (harness[calls / 2] / 1e9));
    }
  }
}
