package org.resbench.harness.reference;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.conformance.ConformanceFixtures;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.Family;
import org.resbench.harness.spec.Flatten;
import org.resbench.harness.spec.InitScheme;
import org.resbench.harness.spec.Layer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.Shape;

/**
 * Test fixtures around the float64 network: seeded networks, inputs, objectives, and the gradient check of a whole
 * pass.
 */
final class Nets {
  private Nets() {}

  /** A float64 copy of a state's tensors. */
  static Map<String, double[]> values(ModelState s) {
    Map<String, double[]> v = new LinkedHashMap<>();
    s.tensors().forEach((k, t) -> {
      double[] d = new double[t.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = t.data()[i];
      }
      v.put(k, d);
    });
    return v;
  }

  /** All cores; results are bit-identical to a sequential run (see Parallel). */
  static final Parallel PARALLEL = Parallel.withThreads(0);

  /** {@code spec} with the conformance state for {@code seed} (perturbed BN and biases). */
  static Network network(ModelSpec spec, long seed) {
    return new Network(spec, values(ConformanceFixtures.state(spec, seed)), PARALLEL);
  }

  /** A network that is just {@code layers} followed by a Flatten, on examples of shape {@code in}. */
  static ModelSpec layers(String name, Shape in, Layer... layers) {
    return new ModelSpec(name, Family.CUSTOM, in, List.of(layers), List.of(), List.of(new Flatten()),
        InitScheme.DEFAULT);
  }

  static Tensor input(ModelSpec spec, int n, long seed) {
    SplittableRandom r = Rngs.stream(seed, "test/input");
    Tensor x = Tensor.zeros(ConformanceFixtures.batchShape(spec, n));
    for (int i = 0; i < x.data.length; i++) {
      x.data[i] = Rngs.gaussian(r);
    }
    return x;
  }

  static Function<Tensor, Losses.Value> cotangentObjective(int n, int outputs, long seed) {
    SplittableRandom r = Rngs.stream(seed, "test/cotangent");
    Tensor c = Tensor.zeros(n, outputs);
    for (int i = 0; i < c.data.length; i++) {
      c.data[i] = Rngs.gaussian(r);
    }
    return out -> Losses.cotangent(out, c);
  }

  static Function<Tensor, Losses.Value> crossEntropyObjective(int n, int classes, long seed) {
    SplittableRandom r = Rngs.stream(seed, "test/labels");
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(classes);
    }
    return out -> Losses.crossEntropy(out, labels);
  }

  /** Cross-entropy for classifiers, a random cotangent for single-output nets. */
  static Function<Tensor, Losses.Value> objectiveFor(ModelSpec spec, int n, long seed) {
    return spec.outputs() > 1 ? crossEntropyObjective(n, spec.outputs(), seed)
        : cotangentObjective(n, spec.outputs(), seed);
  }

  static double[] ones(int n) {
    double[] d = new double[n];
    Arrays.fill(d, 1);
    return d;
  }

  /**
   * Proves the input gradient and every trainable parameter's gradient of one pass by central differences.
   * {@code coordinates >= tensor size} checks every coordinate (small tensors); otherwise each tensor gets
   * {@code coordinates} random coordinates and {@code directions} dense random unit directions.
   */
  static void checkGradients(String what, Network net, Tensor x, BnMode mode, double[] gates,
      Function<Tensor, Losses.Value> objective, int coordinates, int directions) {
    Network.Trace t = net.forward(x, mode, gates);
    Network.Gradients g = t.backward(objective.apply(t.output).gradient(), ones(gates.length), ones(gates.length),
        true);
    SplittableRandom rng = Rngs.stream(1, "test/probes/" + what);
    Supplier<FiniteDifferences.Eval> value = () -> {
      Network.Trace p = net.forward(x, mode, gates);
      return new FiniteDifferences.Eval(objective.apply(p.output).value(), p.pass.reluPattern);
    };
    check(what + " input", x.data, g.input().data, value, coordinates, directions, rng);
    for (ParameterSpec p : net.spec().trainableParameters()) {
      check(what + " " + p.name(), net.values().get(p.name()), g.parameters().get(p.name()), value, coordinates,
          directions, rng);
    }
  }

  private static void check(String what, double[] v, double[] analytic, Supplier<FiniteDifferences.Eval> value,
      int coordinates, int directions, SplittableRandom rng) {
    if (coordinates > 0) {
      FiniteDifferences.checkCoordinates(what, v, analytic, value, coordinates, rng);
    }
    if (directions > 0 && coordinates < v.length) {
      FiniteDifferences.checkDirections(what, v, analytic, value, directions, rng);
    }
  }
}
