package org.resbench.backend.ort;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/** Shared helpers of this module's tests: seeded data and vector arithmetic in double precision. */
final class OrtTesting {
  private OrtTesting() {}

  /** A batch of standard normal inputs for {@code spec}. */
  static HostTensor input(ModelSpec spec, int n, long seed) {
    int[] shape = new int[spec.inputShape().rank() + 1];
    shape[0] = n;
    System.arraycopy(spec.inputShape().dims(), 0, shape, 1, shape.length - 1);
    return normal(seed, "input", shape);
  }

  static HostTensor normal(long seed, String stream, int... shape) {
    SplittableRandom r = Rngs.stream(seed, stream);
    long size = 1;
    for (int d : shape) {
      size *= d;
    }
    float[] v = new float[Math.toIntExact(size)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Rngs.gaussian(r);
    }
    return HostTensor.of(v, shape);
  }

  static int[] labels(int n, int classes, long seed) {
    SplittableRandom r = Rngs.stream(seed, "labels");
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(classes);
    }
    return y;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  static double norm(float[] a) {
    return Math.sqrt(dot(a, a));
  }

  /** {@code a + t * b} as a new tensor of a's shape. */
  static HostTensor axpy(HostTensor a, double t, HostTensor b) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (a.data()[i] + t * b.data()[i]);
    }
    return HostTensor.of(out, a.shape());
  }

  /** {@code state} with every trainable tensor moved by {@code t * direction[name]}. */
  static ModelState move(ModelState state, double t, Map<String, HostTensor> direction) {
    LinkedHashMap<String, HostTensor> m = new LinkedHashMap<>();
    state.tensors().forEach((k, v) -> m.put(k, direction.containsKey(k) ? axpy(v, t, direction.get(k)) : v.copy()));
    return new ModelState(state.spec(), m);
  }

  /** A random direction over the trainable parameters, each tensor scaled to its own RMS (or 1 if zero). */
  static Map<String, HostTensor> parameterDirection(ModelState state, long seed) {
    Map<String, HostTensor> d = new LinkedHashMap<>();
    for (var p : state.spec().trainableParameters()) {
      HostTensor w = state.get(p.name());
      double rms = norm(w.data()) / Math.sqrt(w.size());
      HostTensor r = normal(seed, "dir/" + p.name(), w.shape());
      double scale = rms > 0 ? rms : 1;
      for (int i = 0; i < r.size(); i++) {
        r.data()[i] *= (float) scale;
      }
      d.put(p.name(), r);
    }
    return d;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
