package org.resbench.harness.devtools;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * A developer's stopwatch, not a test (developer tools with a {@code main} live in each module's test package
 * {@code devtools}): one forward and backward pass (loss, input and parameter gradients)
 * of a spec on the reference, repeated. Arguments: spec (default resnet-20), batch (8), threads (0 = all).
 * <pre>
 * mvn -B -q -pl harness test-compile
 * java -cp harness/target/classes:harness/target/test-classes org.resbench.harness.devtools.ReferenceTiming
 * </pre>
 */
final class ReferenceTiming {
  private ReferenceTiming() {}

  public static void main(String[] args) {
    ModelSpec spec = SpecNames.build(args.length > 0 ? args[0] : "resnet-20");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    float[] x = new float[n * spec.inputShape().size()];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % spec.outputs();
    }
    HostTensor input = HostTensor.of(x, org.resbench.harness.conformance.ConformanceFixtures.batchShape(spec, n));
    try (Session s = new ReferenceBackend().open(spec, Initializer.initialize(spec, 1),
        SessionOptions.builder().optThreads(threads).build())) {
      double[] seconds = new double[12];
      for (int it = 0; it < seconds.length; it++) {
        long t0 = System.nanoTime();
        s.gradients(GradientRequest.builder(input, Objective.crossEntropy(labels)).optParameterGradients(true).build());
        seconds[it] = (System.nanoTime() - t0) / 1e9;
      }
      double[] warm = Arrays.copyOfRange(seconds, 2, seconds.length);
      Arrays.sort(warm);
      System.out.printf(Locale.ROOT, "%s, batch %d, threads %d: forward+backward first %.2f s (cold JIT), then median"
          + " %.2f s, min %.2f s over %d runs%n", spec.name(), n, threads, seconds[0], warm[warm.length / 2], warm[0],
          warm.length);
    }
  }
}
