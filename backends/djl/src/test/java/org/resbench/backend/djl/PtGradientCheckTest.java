package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * The network translation and PyTorch's autograd through it, checked in float64 against central finite
 * differences along random directions, separately for the input and for all parameters, for every family,
 * both BatchNorm modes, and gates that are 0, fractional and 1.
 *
 * <p>Step and tolerance: central differences with step 1e-7 in float64; |analytic - numeric| <= 1e-6
 * (|analytic| + |numeric|) + 1e-8. The rounding error is about 1e-16 / 1e-7 = 1e-9 of the objective's scale.
 * The step is this small because the objective is far from linear along a random direction through every
 * parameter at once: BatchNorm in training mode over a few values per channel is strongly curved, and ReLU
 * kinks lie within reach of larger steps (at step 1e-5 and 1e-4 several cases fail by 1e-4 to 1e-1 for that
 * reason alone, at 1e-8 rounding reaches the bound). A wrong term (a missed branch, a misplaced gate, a BN
 * statistic treated as a constant) shifts the derivative by far more than 1e-6 of itself.
 */
class PtGradientCheckTest {
  private static final double EPS = 1e-7;
  private static final double REL = 1e-6;
  private static final double ABS = 1e-8;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("plain-8-in3x8x8", new float[] {1f, 0.5f, 0f}),
        Arguments.of("resnet-8-in3x8x8", new float[] {1f, 1f, 1f}),
        Arguments.of("resnet-8-in3x8x8", new float[] {0.6f, 0f, 1f}),
        Arguments.of("resnet-8-b-in3x8x8", new float[] {1f, 0.3f, 1f}),
        Arguments.of("resnet-8-sd-in3x8x8", new float[] {1f, 0f, 0.75f}),
        Arguments.of("resnet-11-bottleneck-in3x8x8", new float[] {1f, 0.5f, 1f}),
        Arguments.of("resnet-11-bottleneck-a-in3x8x8", new float[] {1f, 1f, 0f}),
        Arguments.of("resnext-11-2x4d-in3x8x8", new float[] {1f, 1f, 1f}),
        Arguments.of("mlp-3x8-res-bn", new float[] {1f, 0f, 0.5f}),
        Arguments.of("mlp-3x8-ff-bn-post-bias", new float[] {1f, 0.5f, 1f}),
        Arguments.of("mlp-2x6-ff-in2x3-out3", new float[] {1f, 1f}));
  }

  @ParameterizedTest(name = "{0} gates {1}")
  @MethodSource("cases")
  void gradientsMatchCentralDifferences(String name, float[] gates) {
    ModelSpec spec = SpecNames.build(name);
    for (BnMode mode : BnMode.values()) {
      for (boolean crossEntropy : new boolean[] {true, false}) {
        check(spec, gates, mode, crossEntropy);
      }
    }
  }

  private void check(ModelSpec spec, float[] gates, BnMode mode, boolean crossEntropy) {
    int n = spec.inputShape().rank() == 3 ? 3 : 5;
    ModelState state = DjlTestSupport.state(spec, 11);
    HostTensor x = DjlTestSupport.input(spec, n, 12);
    Objective objective = crossEntropy ? Objective.crossEntropy(DjlTestSupport.labels(spec, n, 13))
        : new Objective.OutputCotangent(DjlTestSupport.input(
            SpecNames.build("mlp-1x1-ff-in" + spec.outputs()), n, 14));
    String what = spec.name() + ", BN " + mode + ", " + (crossEntropy ? "cross-entropy" : "cotangent");
    try (NDManager m = DjlTestSupport.pytorch().newBaseManager();
        PtNet net = new PtNet(spec, state, m, DataType.FLOAT64)) {
      PtNet.Pass pass = new PtNet.Pass(mode, false, gates, null);
      double[] x0 = PtNet.toDouble(x.data());
      Shape xs = new Shape(x.longShape());
      // Analytic gradients.
      double[] gx;
      Map<String, double[]> gp = new LinkedHashMap<>();
      net.requireParameterGradients(true);
      net.zeroGradients();
      try (NDManager step = m.newSubManager()) {
        NDArray xa = step.create(x0, xs);
        xa.setRequiresGradient(true);
        JniUtils.setGradMode(true);
        try {
          NDArray out = net.forward(xa, pass);
          HostObjective.Value v = HostObjective.of(objective, out.toDoubleArray(), n, spec.outputs());
          JniUtils.backward((PtNDArray) out, (PtNDArray) step.create(v.cotangent(), out.getShape()), false, false);
        } finally {
          JniUtils.setGradMode(false);
        }
        gx = JniUtils.getGradient((PtNDArray) xa).toDoubleArray();
        for (String p : net.trainableNames()) {
          NDArray g = net.gradient(p, step);
          gp.put(p, g == null ? new double[(int) net.tensor(p).size()] : g.toDoubleArray());
        }
      }
      SplittableRandom r = Rngs.stream(21, "direction/" + what);
      // Input direction.
      double[] dx = gaussian(r, x0.length);
      double analytic = dot(gx, dx);
      double fPlus = value(net, m, shifted(x0, dx, EPS), xs, pass, objective, n, spec.outputs());
      double fMinus = value(net, m, shifted(x0, dx, -EPS), xs, pass, objective, n, spec.outputs());
      assertClose(what + ", input gradient", analytic, (fPlus - fMinus) / (2 * EPS));
      // Parameter direction.
      Map<String, double[]> p0 = new LinkedHashMap<>();
      Map<String, double[]> dp = new LinkedHashMap<>();
      analytic = 0;
      for (String p : net.trainableNames()) {
        p0.put(p, PtNet.toDouble(state.get(p).data()));
        dp.put(p, gaussian(r, p0.get(p).length));
        analytic += dot(gp.get(p), dp.get(p));
      }
      double[] f = new double[2];
      for (int s = 0; s < 2; s++) {
        double e = s == 0 ? EPS : -EPS;
        for (String p : net.trainableNames()) {
          net.set(p, shifted(p0.get(p), dp.get(p), e));
        }
        f[s] = value(net, m, x0, xs, pass, objective, n, spec.outputs());
      }
      assertClose(what + ", parameter gradients", analytic, (f[0] - f[1]) / (2 * EPS));
    }
  }

  private static double value(PtNet net, NDManager m, double[] x, Shape xs, PtNet.Pass pass, Objective o, int n,
      int k) {
    try (NDManager step = m.newSubManager()) {
      JniUtils.setGradMode(false);
      NDArray out = net.forward(step.create(x, xs), pass);
      return HostObjective.of(o, out.toDoubleArray(), n, k).value();
    }
  }

  private static void assertClose(String what, double analytic, double numeric) {
    double err = Math.abs(analytic - numeric);
    double tol = REL * (Math.abs(analytic) + Math.abs(numeric)) + ABS;
    assertTrue(err <= tol, () -> what + ": analytic " + analytic + " vs central difference " + numeric + " (error "
        + err + " > tolerance " + tol + ")");
  }

  private static double[] gaussian(SplittableRandom r, int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = Rngs.gaussian(r);
    }
    return d;
  }

  private static double[] shifted(double[] a, double[] d, double e) {
    double[] o = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      o[i] = a[i] + e * d[i];
    }
    return o;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
