package org.resbench.backend.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * The generated backward graphs against central differences of the same session's objective, as directional
 * derivatives: for a unit direction v (half the normalised gradient, half a random unit vector, so that the
 * derivative is large against float32 noise and errors off the gradient's direction still show),
 * {@code (f(x + h v) - f(x - h v)) / 2h} must match {@code <grad f, v>}. With h = 3e-3 (in the norm of the input,
 * or of all parameters together) few ReLU kinks are crossed; float32 rounding of the objective (~2.4e-7) adds
 * ~1e-4 of noise, so the tolerance is 3% of the derivative plus 3e-4. The cases cover every layer and block kind,
 * both BatchNorm modes, gates between 0 and 1, odd spatial sizes and grouped convolutions. This check is
 * independent of the reference backend; {@link ReferenceAgreementTest} compares element by element with it.
 */
class GradientCheckTest {
  private static final double H = 3e-3;
  private static Backend backend;

  @BeforeAll
  static void setUp() {
    backend = new OrtCpuBackend();
  }

  @AfterAll
  static void tearDown() {
    backend = null;
  }

  static java.util.stream.Stream<Arguments> cases() {
    return java.util.stream.Stream.of(
        Arguments.of("resnet-8-in3x8x8", BnMode.TRAIN, null),
        Arguments.of("resnet-8-in3x8x8", BnMode.INFERENCE, null),
        Arguments.of("resnet-8-in3x8x8:cotangent", BnMode.TRAIN, null),
        Arguments.of("resnet-11-bottleneck-a-in3x9x9:cotangent", BnMode.TRAIN, new float[] {0.5f, 1f, 0.25f}),
        Arguments.of("mlp-3x8-res-bn-in5-out3:cotangent", BnMode.TRAIN, null),
        Arguments.of("resnet-8-b-in3x8x8", BnMode.TRAIN, null),
        Arguments.of("plain-8-in3x8x8", BnMode.TRAIN, null),
        Arguments.of("plain-8-in3x8x8", BnMode.TRAIN, new float[] {0.6f, 0f, 1f}),
        Arguments.of("resnet-8-sd-in3x7x7", BnMode.TRAIN, new float[] {1f, 0.5f, 0f}),
        Arguments.of("resnet-11-bottleneck-in3x8x8", BnMode.TRAIN, null),
        Arguments.of("resnext-11-2x4d-in3x8x8", BnMode.INFERENCE, null),
        Arguments.of("resnext-11-2x4d-in3x8x8", BnMode.TRAIN, null),
        Arguments.of("mlp-3x8-res-bn-in5-out3", BnMode.TRAIN, null),
        Arguments.of("mlp-3x8-ff-bn-post-bias-in5-out3", BnMode.INFERENCE, new float[] {1f, 0.3f, 1f}));
  }

  @ParameterizedTest(name = "{0} {1} gates {2}")
  @MethodSource("cases")
  void gradientsMatchCentralDifferences(String testCase, BnMode mode, float[] gateValues) {
    String name = testCase.replace(":cotangent", "");
    ModelSpec spec = SpecNames.build(name);
    ModelState state = Initializer.initialize(spec, 7);
    BlockGates gates = gateValues == null ? BlockGates.ones(spec) : BlockGates.of(gateValues);
    int n = 6;
    HostTensor x = OrtTesting.input(spec, n, 1);
    int[] y = OrtTesting.labels(n, spec.outputs(), 2);
    try (Session s = backend.open(spec, state, SessionOptions.DEFAULT)) {
      Objective objective = testCase.endsWith(":cotangent")
          ? new Objective.OutputCotangent(OrtTesting.normal(5, "cotangent", n, spec.outputs()))
          : Objective.crossEntropy(y);
      Function<HostTensor, GradientRequest> req = in -> GradientRequest.builder(in, objective)
          .optBnMode(mode).optGates(gates).optInputGradient(true).optParameterGradients(true).build();
      GradientResult g = s.gradients(req.apply(x));
      assertEquals(spec.trainableParameters().size(), g.parameterGradients().size());

      // input direction
      HostTensor v = direction(g.inputGradient(), OrtTesting.normal(3, "v", x.shape()));
      double analytic = OrtTesting.dot(g.inputGradient().data(), v.data());
      double fp = s.gradients(req.apply(OrtTesting.axpy(x, H, v))).objective();
      double fm = s.gradients(req.apply(OrtTesting.axpy(x, -H, v))).objective();
      check(name + " input", analytic, (fp - fm) / (2 * H));

      // parameter direction, over all trainable tensors at once
      Map<String, HostTensor> random = OrtTesting.parameterDirection(state, 4);
      double gn = 0;
      double rn = 0;
      for (String p : random.keySet()) {
        gn += Math.pow(OrtTesting.norm(g.parameterGradients().get(p).data()), 2);
        rn += Math.pow(OrtTesting.norm(random.get(p).data()), 2);
      }
      Map<String, HostTensor> dir = new java.util.LinkedHashMap<>();
      double total = 0;
      for (String p : random.keySet()) {
        HostTensor d = OrtTesting.axpy(OrtTesting.axpy(HostTensor.zeros(random.get(p).shape()), 1 / Math.sqrt(gn),
            g.parameterGradients().get(p)), 1 / Math.sqrt(rn), random.get(p));
        dir.put(p, d);
        total += Math.pow(OrtTesting.norm(d.data()), 2);
      }
      double analyticP = 0;
      for (var e : dir.entrySet()) {
        for (int i = 0; i < e.getValue().size(); i++) {
          e.getValue().data()[i] /= (float) Math.sqrt(total);
        }
        analyticP += OrtTesting.dot(g.parameterGradients().get(e.getKey()).data(), e.getValue().data());
      }
      s.loadState(OrtTesting.move(state, H, dir));
      double pp = s.gradients(req.apply(x)).objective();
      s.loadState(OrtTesting.move(state, -H, dir));
      double pm = s.gradients(req.apply(x)).objective();
      check(name + " parameters", analyticP, (pp - pm) / (2 * H));
    }
  }

  /** normalise(normalise(grad) + normalise(random)). */
  private static HostTensor direction(HostTensor grad, HostTensor random) {
    HostTensor d = OrtTesting.axpy(OrtTesting.axpy(HostTensor.zeros(grad.shape()), 1 / OrtTesting.norm(grad.data()),
        grad), 1 / OrtTesting.norm(random.data()), random);
    double n = OrtTesting.norm(d.data());
    for (int i = 0; i < d.size(); i++) {
      d.data()[i] /= (float) n;
    }
    return d;
  }

  private static void check(String what, double analytic, double numeric) {
    double tol = 0.03 * Math.abs(analytic) + 3e-4;
    assertTrue(Math.abs(analytic - numeric) <= tol,
        what + ": analytic " + analytic + " vs central difference " + numeric + " (tolerance " + tol + ")");
  }
}
