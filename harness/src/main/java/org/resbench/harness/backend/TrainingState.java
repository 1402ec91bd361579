package org.resbench.harness.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * Everything a training step depends on besides its batch, gates and learning rate: every parameter and
 * BatchNorm statistic, and the SGD momentum buffer of every trainable parameter, exactly as a backend holds
 * them. Values are carried as {@code double[]}, which holds a float32 engine's values exactly and the float64
 * reference's without rounding, so a state read from a session and loaded into a session of the same backend
 * continues bit for bit; loaded into another backend it is converted to that backend's precision.
 *
 * <p>Ownership: the maps are unmodifiable, the arrays are not copied (whoever builds a state must not change
 * them afterwards). Immutable by convention and thread-safe to read.
 *
 * @param spec the spec the state belongs to
 * @param precision the precision of the backend that produced it (what a checkpoint should store)
 * @param values every parameter and statistic, in the spec's order, flattened row-major
 * @param momentum the momentum buffer of every trainable parameter (zeros before the first step)
 */
public record TrainingState(ModelSpec spec, Precision precision, Map<String, double[]> values,
    Map<String, double[]> momentum) {

  /** The number format a backend keeps its state in. */
  public enum Precision {
    FLOAT32, FLOAT64
  }

  public TrainingState {
    LinkedHashMap<String, double[]> v = new LinkedHashMap<>();
    LinkedHashMap<String, double[]> m = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      v.put(p.name(), require(spec, "value", p, values.get(p.name())));
      if (p.trainable()) {
        m.put(p.name(), require(spec, "momentum buffer", p, momentum.get(p.name())));
      }
    }
    for (String k : values.keySet()) {
      if (!v.containsKey(k)) {
        throw new IllegalArgumentException("training state for '" + spec.name() + "': unknown tensor '" + k
            + "'; allowed: the spec's parameter and buffer names");
      }
    }
    for (String k : momentum.keySet()) {
      if (!m.containsKey(k)) {
        throw new IllegalArgumentException("training state for '" + spec.name() + "': momentum buffer for '" + k
            + "', which is not a trainable parameter; allowed: one per trainable parameter");
      }
    }
    values = Collections.unmodifiableMap(v);
    momentum = Collections.unmodifiableMap(m);
  }

  private static double[] require(ModelSpec spec, String what, ParameterSpec p, double[] a) {
    if (a == null) {
      throw new IllegalArgumentException("training state for '" + spec.name() + "': " + what + " of '" + p.name()
          + "' is missing; allowed: one for every " + (what.equals("value") ? "parameter and buffer"
          : "trainable parameter"));
    }
    if (a.length != p.shape().size()) {
      throw new IllegalArgumentException("training state for '" + spec.name() + "': " + what + " of '" + p.name()
          + "' has " + a.length + " values; allowed: " + p.shape().size() + " (shape " + p.shape() + ")");
    }
    return a;
  }

  /** A fresh start from {@code state}: its values, zero momentum. */
  public static TrainingState initial(ModelState state, Precision precision) {
    Map<String, double[]> v = new LinkedHashMap<>();
    Map<String, double[]> m = new LinkedHashMap<>();
    for (ParameterSpec p : state.spec().parameters()) {
      v.put(p.name(), widen(state.get(p.name()).data()));
      if (p.trainable()) {
        m.put(p.name(), new double[p.shape().size()]);
      }
    }
    return new TrainingState(state.spec(), precision, v, m);
  }

  /** The parameters and statistics as float32 (rounded to nearest from float64). */
  public ModelState model() {
    Map<String, HostTensor> t = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      t.put(p.name(), HostTensor.of(narrow(values.get(p.name())), p.shape().dims()));
    }
    return new ModelState(spec, t);
  }

  /** The momentum buffer of a trainable parameter as float32. */
  public float[] momentumFloats(String name) {
    double[] m = momentum.get(name);
    if (m == null) {
      throw new IllegalArgumentException("training state for '" + spec.name() + "' has no momentum buffer '" + name
          + "'; allowed: a trainable parameter's name");
    }
    return narrow(m);
  }

  /** Every value widened from float32. */
  public static double[] widen(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Every value rounded to float32. */
  public static float[] narrow(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
