package org.resbench.harness.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.PathMask;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.SpecNames;

/**
 * Backward path masks, proven two ways, since finite differences cannot see a mask directly.
 *
 * <p>(a) Multilinearity: the backward pass through block b is {@code a_b g J_F + s_b c J_S} (J_F, J_S the
 * branch's and shortcut's vector-Jacobian products), so the whole gradient is multilinear in the per-block
 * factors. Summed over all 2^n single-path masks (each block branch-only or shortcut-only) the input
 * gradient must equal the unmasked one; a parameter of block b does not depend on the choices of the b
 * blocks before it, so its sum is 2^b times its unmasked gradient (stem: 1, head: 2^n). A fractional factor
 * must interpolate linearly. All up to rounding.
 *
 * <p>(b) Stop-gradient finite differences: the masked gradient is the ordinary gradient of
 * {@code z_b = a_b g F(h) + (1 - a_b) g F(h0) + s_b c S(h) + (1 - s_b) c S(h0)}, where h0 is block b's input
 * in the unperturbed pass and F(h0), S(h0) are frozen constants; this function has the network's forward
 * values at the base point, and central differences of it must match the masked backward pass for the
 * input and every parameter.
 */
class PathMaskGradientTest {
  private static final int BATCH = 3;

  static Stream<Arguments> nets() {
    return Stream.of(
        Arguments.of("resnet-8-in3x8x8", BnMode.TRAIN, "ones"),
        Arguments.of("resnet-8-b-in3x8x8", BnMode.TRAIN, "ones"),
        Arguments.of("resnet-8-sd-in3x8x8", BnMode.TRAIN, "inference"),
        Arguments.of("resnet-8-sd-in3x8x8", BnMode.INFERENCE, "sampled"),
        Arguments.of("plain-8-in3x8x8", BnMode.TRAIN, "fractional"),
        Arguments.of("resnet-11-bottleneck-in3x8x8", BnMode.TRAIN, "ones"),
        Arguments.of("mlp-3x8-res-bn", BnMode.TRAIN, "ones"),
        Arguments.of("mlp-4x6-res-bn-in4-out3", BnMode.INFERENCE, "ones"));
  }

  @ParameterizedTest(name = "{0} BN {1} gates {2}")
  @MethodSource("nets")
  void singlePathGradientsSumToTheFullGradient(String name, BnMode mode, String gateKind) {
    ModelSpec spec = SpecNames.build(name);
    Network net = Nets.network(spec, 21);
    double[] gates = NetworkGradientTest.gates(spec, gateKind);
    Network.Trace t = net.forward(Nets.input(spec, BATCH, 22), mode, gates);
    Tensor dOut = Nets.objectiveFor(spec, BATCH, 23).apply(t.output).gradient();
    int n = spec.blocks().size();
    Network.Gradients full = t.backward(dOut, Nets.ones(n), Nets.ones(n), true);
    double[] inputSum = new double[full.input().size()];
    Map<String, double[]> paramSum = zerosLike(full.parameters());
    for (int pathBits = 0; pathBits < 1 << n; pathBits++) {
      Set<Integer> branchBlocks = new HashSet<>();
      for (int b = 0; b < n; b++) {
        if ((pathBits >> b & 1) == 1) {
          branchBlocks.add(b);
        }
      }
      PathMask m = PathMask.path(spec, branchBlocks);
      Network.Gradients g = t.backward(dOut, doubles(m.branchFactors()), doubles(m.shortcutFactors()), true);
      add(inputSum, g.input().data);
      g.parameters().forEach((k, v) -> add(paramSum.get(k), v));
    }
    assertClose(name + " input", full.input().data, inputSum, 1e-12);
    Map<String, Integer> upstream = blocksUpstream(spec);
    for (ParameterSpec p : spec.trainableParameters()) {
      double[] expected = full.parameters().get(p.name()).clone();
      for (int i = 0; i < expected.length; i++) {
        expected[i] *= 1 << upstream.get(p.name());
      }
      assertClose(name + " " + p.name(), expected, paramSum.get(p.name()), 1e-12);
    }

    // A fractional factor on one block interpolates between its branch-only and shortcut-only gradients.
    int b = n / 2;
    double[] a = Nets.ones(n);
    double[] s = Nets.ones(n);
    a[b] = 0.3;
    s[b] = 0.7;
    Network.Gradients mixed = t.backward(dOut, a, s, true);
    a[b] = 1;
    s[b] = 0;
    Network.Gradients branchOnly = t.backward(dOut, a, s, true);
    a[b] = 0;
    s[b] = 1;
    Network.Gradients shortcutOnly = t.backward(dOut, a, s, true);
    double[] expected = new double[mixed.input().size()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = 0.3 * branchOnly.input().data[i] + 0.7 * shortcutOnly.input().data[i];
    }
    assertClose(name + " fractional factors, input", expected, mixed.input().data, 1e-12);
  }

  @ParameterizedTest(name = "{0} BN {1} gates {2}")
  @MethodSource("nets")
  void maskedGradientsMatchFiniteDifferencesOfTheStopGradientFunction(String name, BnMode mode, String gateKind) {
    ModelSpec spec = SpecNames.build(name);
    Network net = Nets.network(spec, 31);
    double[] gates = NetworkGradientTest.gates(spec, gateKind);
    int n = spec.blocks().size();
    SplittableRandom r = Rngs.stream(32, "test/mask/" + name);
    // A random path (each block branch-only or shortcut-only) and one block with fractional factors.
    Set<Integer> branchBlocks = new HashSet<>();
    for (int b = 0; b < n; b++) {
      if (r.nextBoolean()) {
        branchBlocks.add(b);
      }
    }
    PathMask path = PathMask.path(spec, branchBlocks);
    double[] a = doubles(path.branchFactors());
    double[] s = doubles(path.shortcutFactors());
    a[n - 1] = 0.25;
    s[n - 1] = 0.6;

    Tensor x = Nets.input(spec, BATCH, 33);
    Function<Tensor, Losses.Value> objective = Nets.objectiveFor(spec, BATCH, 34);
    Network.Trace t = net.forward(x, mode, gates);
    Network.Gradients masked = t.backward(objective.apply(t.output).gradient(), a, s, true);

    List<Tensor[]> frozen = frozenBlockOutputs(net, x, mode, gates);
    Supplier<FiniteDifferences.Eval> stopGradient = () -> {
      Network.Pass pass = new Network.Pass(mode);
      Tensor out = forwardStopGradient(net, x, pass, gates, a, s, frozen);
      return new FiniteDifferences.Eval(objective.apply(out).value(), pass.reluPattern);
    };
    Network.Pass basePass = new Network.Pass(mode);
    Tensor base = forwardStopGradient(net, x, basePass, gates, a, s, frozen);
    for (int i = 0; i < base.size(); i++) {
      assertEquals(t.output.data[i], base.data[i], 1e-12 * (1 + Math.abs(t.output.data[i])),
          "the stop-gradient function has the network's forward values");
    }

    SplittableRandom probes = Rngs.stream(35, "test/probes/" + name);
    FiniteDifferences.checkCoordinates(name + " masked input", x.data, masked.input().data, stopGradient, 3, probes);
    FiniteDifferences.checkDirections(name + " masked input", x.data, masked.input().data, stopGradient, 2, probes);
    for (ParameterSpec p : spec.trainableParameters()) {
      FiniteDifferences.checkDirections(name + " masked " + p.name(), net.values().get(p.name()),
          masked.parameters().get(p.name()), stopGradient, 2, probes);
    }
  }

  /** For each trainable parameter, the number of blocks between the input and the layer that owns it. */
  private static Map<String, Integer> blocksUpstream(ModelSpec spec) {
    Map<String, Integer> out = new java.util.HashMap<>();
    spec.stem().forEach(l -> l.parameters().forEach(p -> out.put(p.name(), 0)));
    for (Block b : spec.blocks()) {
      for (List<org.resbench.harness.spec.Layer> part : List.of(b.branch(), b.shortcut(), b.post())) {
        part.forEach(l -> l.parameters().forEach(p -> out.put(p.name(), b.index())));
      }
    }
    spec.head().forEach(l -> l.parameters().forEach(p -> out.put(p.name(), spec.blocks().size())));
    return out;
  }

  /** F_b(h0_b) and S_b(h0_b) of every block in the unperturbed pass (F null where the gate is 0). */
  private static List<Tensor[]> frozenBlockOutputs(Network net, Tensor x, BnMode mode, double[] gates) {
    Network.Pass pass = new Network.Pass(mode);
    Tensor h = net.forwardSequence(net.spec().stem(), x, pass).output();
    List<Tensor[]> out = new ArrayList<>();
    for (Block b : net.spec().blocks()) {
      Tensor f = gates[b.index()] != 0 ? net.forwardSequence(b.branch(), h, pass).output() : null;
      Tensor sc = net.forwardSequence(b.shortcut(), h, pass).output();
      out.add(new Tensor[] {f, sc});
      h = net.forwardBlock(b, gates[b.index()], h, pass).post().output();
    }
    return out;
  }

  /** The network with each block's masked-off share of branch and shortcut replaced by its frozen value. */
  private static Tensor forwardStopGradient(Network net, Tensor x, Network.Pass pass, double[] gates, double[] a,
      double[] s, List<Tensor[]> frozen) {
    Tensor h = net.forwardSequence(net.spec().stem(), x, pass).output();
    for (Block b : net.spec().blocks()) {
      int i = b.index();
      double g = gates[i];
      double c = b.residual() ? 1 : 1 - g;
      Tensor sc = net.forwardSequence(b.shortcut(), h, pass).output();
      Tensor f = g != 0 ? net.forwardSequence(b.branch(), h, pass).output() : null;
      Tensor f0 = frozen.get(i)[0];
      Tensor s0 = frozen.get(i)[1];
      Tensor z = Tensor.zeros(sc.shape);
      for (int k = 0; k < z.size(); k++) {
        double branch = f == null ? 0 : a[i] * g * f.data[k] + (1 - a[i]) * g * f0.data[k];
        z.data[k] = branch + s[i] * c * sc.data[k] + (1 - s[i]) * c * s0.data[k];
      }
      h = net.forwardSequence(b.post(), z, pass).output();
    }
    return net.forwardSequence(net.spec().head(), h, pass).output();
  }

  private static Map<String, double[]> zerosLike(Map<String, double[]> m) {
    Map<String, double[]> z = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> z.put(k, new double[v.length]));
    return z;
  }

  private static void add(double[] acc, double[] v) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] += v[i];
    }
  }

  private static double[] doubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /**
   * Equal up to rounding: every element within {@code tol * max|expected| + 1e-15} (the floor for gradients that are 0
   * exactly).
   */
  private static void assertClose(String what, double[] expected, double[] actual, double tol) {
    double maxAbs = 0;
    for (double e : expected) {
      maxAbs = Math.max(maxAbs, Math.abs(e));
    }
    double max = maxAbs;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(expected[i] - actual[i]);
      int at = i;
      assertTrue(err <= tol * max + 1e-15, () -> what + "[" + at + "]: expected " + expected[at] + ", got " + actual[at]
          + " (|error| " + err + " > " + tol + " x max " + max + ")");
    }
  }
}
