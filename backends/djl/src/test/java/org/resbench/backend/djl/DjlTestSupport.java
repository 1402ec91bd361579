package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;

/** Shared test helpers: the engine, seeded inputs, and states whose BatchNorm tensors are not trivial. */
final class DjlTestSupport {
  private DjlTestSupport() {}

  /** The PyTorch engine; fails the test with the loader's message when it cannot load. */
  static Engine pytorch() {
    DjlNatives.Outcome o = DjlNatives.pytorch();
    assertTrue(o.ok(), () -> "PyTorch did not load: " + o.failure());
    return o.engine();
  }

  /** A seeded N(0, 1) input of shape [n, spec input]. */
  static HostTensor input(ModelSpec spec, int n, long seed) {
    int size = spec.inputShape().size();
    float[] v = new float[n * size];
    SplittableRandom r = Rngs.stream(seed, "test/input");
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Rngs.gaussian(r);
    }
    int[] dims = spec.inputShape().dims();
    int[] shape = new int[dims.length + 1];
    shape[0] = n;
    System.arraycopy(dims, 0, shape, 1, dims.length);
    return HostTensor.of(v, shape);
  }

  /** Seeded labels in [0, outputs). */
  static int[] labels(ModelSpec spec, int n, long seed) {
    SplittableRandom r = Rngs.stream(seed, "test/labels");
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = r.nextInt(spec.outputs());
    }
    return l;
  }

  /**
   * The initial state with BatchNorm scale, shift and running statistics drawn away from (1, 0, 0, 1), so that
   * inference-mode BatchNorm is not the identity and mistakes in argument order show.
   */
  static ModelState state(ModelSpec spec, long seed) {
    ModelState init = Initializer.initialize(spec, seed);
    LinkedHashMap<String, HostTensor> t = new LinkedHashMap<>();
    SplittableRandom r = Rngs.stream(seed, "test/bn");
    for (ParameterSpec p : spec.parameters()) {
      HostTensor v = init.get(p.name()).copy();
      float[] d = v.data();
      for (int i = 0; i < d.length; i++) {
        switch (p.role()) {
          case BN_SCALE -> d[i] = (float) (0.6 + 0.8 * r.nextDouble());
          case BN_SHIFT, BN_RUNNING_MEAN -> d[i] = (float) (0.2 * Rngs.gaussian(r));
          case BN_RUNNING_VAR -> d[i] = (float) (0.5 + r.nextDouble());
          default -> { }
        }
      }
      t.put(p.name(), v);
    }
    return new ModelState(spec, t);
  }
}
