package org.resbench.backend.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.PathMask;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * ort-cpu against the float64 {@code reference} backend, element by element, on cases the conformance suite
 * ({@link OrtCpuConformanceTest}) does not cover: odd spatial sizes (ConvTranspose output padding, the option-A
 * adjoint's crop), option-A bottlenecks, post-activation MLPs with biases, MLPs without BatchNorm, and training
 * steps with Nesterov momentum, lesioned and sampled stochastic-depth gates. Gradients are compared in both
 * BatchNorm modes with gates, path masks and both objectives. Tolerance: the largest difference must stay below
 * 1e-4 of the largest reference value (float32 arithmetic over these small nets agrees to ~1e-6), plus a floor
 * for values that are 0 in exact arithmetic: 1e-6, or for gradients 1e-4 of the largest gradient in the result.
 */
class ReferenceAgreementTest {
  private static final double REL = 1e-4;

  static Stream<Arguments> specs() {
    return Stream.of("resnet-8-b-in3x7x7", "plain-8-in3x9x9", "resnet-8-sd-in3x7x7", "resnet-11-bottleneck-a-in3x8x8",
        "resnext-11-2x4d-in3x7x7", "mlp-3x8-ff-bn-post-bias-in5-out3", "mlp-4x6-res").map(Arguments::of);
  }

  private static Backend reference() {
    return Backends.discover().get("reference");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void gradientsAgreeWithTheReference(String name) {
    ModelSpec spec = SpecNames.build(name);
    ModelState state = Initializer.initialize(spec, 11);
    int n = 5;
    HostTensor x = OrtTesting.input(spec, n, 12);
    int[] y = OrtTesting.labels(n, spec.outputs(), 13);
    int blocks = spec.blocks().size();
    float[] gateValues = new float[blocks];
    float[] branch = new float[blocks];
    float[] shortcut = new float[blocks];
    var r = Rngs.stream(14, "masks");
    for (int i = 0; i < blocks; i++) {
      gateValues[i] = i == 1 ? 0f : (float) (0.25 + 0.75 * r.nextDouble());
      branch[i] = r.nextBoolean() ? 1f : (float) r.nextDouble();
      shortcut[i] = r.nextBoolean() ? 0f : 1f;
    }
    BlockGates gates = BlockGates.of(gateValues);
    PathMask mask = PathMask.of(branch, shortcut);
    try (Session ort = new OrtCpuBackend().open(spec, state, SessionOptions.DEFAULT);
        Session ref = reference().open(spec, state, SessionOptions.DEFAULT)) {
      for (BnMode mode : BnMode.values()) {
        assertClose(name + " forward " + mode, ref.forward(x, mode, gates).data(), ort.forward(x, mode, gates).data());
        assertClose(name + " forward " + mode + " gates 1", ref.forward(x, mode, BlockGates.ones(spec)).data(),
            ort.forward(x, mode, BlockGates.ones(spec)).data());
        GradientRequest plain = GradientRequest.builder(x, Objective.crossEntropy(y)).optBnMode(mode)
            .optParameterGradients(true).build();
        compare(name + " " + mode + " cross-entropy", ref.gradients(plain), ort.gradients(plain));
        GradientRequest masked = GradientRequest.builder(x,
            new Objective.OutputCotangent(OrtTesting.normal(15, "cot", n, spec.outputs()))).optBnMode(mode)
            .optGates(gates).optPathMask(mask).optParameterGradients(true).build();
        compare(name + " " + mode + " gated, masked, cotangent", ref.gradients(masked), ort.gradients(masked));
        GradientRequest inputOnly = GradientRequest.builder(x, Objective.sumOfOutputs(n, spec.outputs()))
            .optBnMode(mode).optGates(gates).build();
        compare(name + " " + mode + " input gradient only", ref.gradients(inputOnly), ort.gradients(inputOnly));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void trainingStepsAgreeWithTheReference(String name) {
    ModelSpec spec = SpecNames.build(name);
    ModelState state = Initializer.initialize(spec, 21);
    SessionOptions options = SessionOptions.builder().optSgd(new SgdConfig(0.9, 5e-4, name.contains("sd"))).build();
    var gateRng = Rngs.stream(22, "gates");
    try (Session ort = new OrtCpuBackend().open(spec, state, options);
        Session ref = reference().open(spec, state, options)) {
      for (int step = 0; step < 3; step++) {
        int n = 6;
        HostTensor x = OrtTesting.input(spec, n, 30 + step);
        int[] y = OrtTesting.labels(n, spec.outputs(), 40 + step);
        BlockGates gates = step == 1 ? BlockGates.lesion(BlockGates.ones(spec), 0)
            : BlockGates.sample(spec, gateRng);
        StepResult a = ref.trainStep(x, y, gates, 0.05);
        StepResult b = ort.trainStep(x, y, gates, 0.05);
        assertEquals(a.loss(), b.loss(), 1e-5 * Math.max(1, Math.abs(a.loss())), name + " loss at step " + step);
        assertClose(name + " logits at step " + step, a.logits().data(), b.logits().data());
        ModelState ra = ref.readState();
        ModelState rb = ort.readState();
        for (String t : ra.tensors().keySet()) {
          assertClose(name + " " + t + " after step " + step, ra.get(t).data(), rb.get(t).data());
        }
      }
    }
  }

  private static void compare(String what, GradientResult ref, GradientResult ort) {
    assertEquals(ref.objective(), ort.objective(), 1e-5 * Math.max(1, Math.abs(ref.objective())), what + " objective");
    assertClose(what + " output", ref.output().data(), ort.output().data());
    // Gradients that are 0 in exact arithmetic (a bias followed by train-mode BatchNorm) come out as float32
    // cancellation noise: their floor is REL times the largest gradient anywhere in the result.
    double floor = ref.inputGradient() != null ? OrtTesting.maxAbs(ref.inputGradient().data()) : 0;
    for (HostTensor t : ref.parameterGradients().values()) {
      floor = Math.max(floor, OrtTesting.maxAbs(t.data()));
    }
    floor *= REL;
    if (ref.inputGradient() != null) {
      assertClose(what + " input gradient", ref.inputGradient().data(), ort.inputGradient().data(), floor);
    }
    assertEquals(ref.parameterGradients().keySet(), ort.parameterGradients().keySet(), what + " gradient names");
    for (Map.Entry<String, HostTensor> e : ref.parameterGradients().entrySet()) {
      assertClose(what + " d/d " + e.getKey(), e.getValue().data(), ort.parameterGradients().get(e.getKey()).data(),
          floor);
    }
  }

  static void assertClose(String what, float[] expected, float[] actual) {
    assertClose(what, expected, actual, 1e-6);
  }

  static void assertClose(String what, float[] expected, float[] actual, double floor) {
    assertEquals(expected.length, actual.length, what + " size");
    double scale = OrtTesting.maxAbs(expected);
    double diff = OrtTesting.maxAbsDiff(expected, actual);
    assertTrue(diff <= REL * scale + floor, what + ": max difference " + diff + " against max |reference| " + scale
        + " (floor " + floor + ")");
  }
}
