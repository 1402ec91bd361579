package org.resbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.conformance.Tolerance;
import org.resbench.harness.conformance.Tolerances;
import org.resbench.harness.io.Npy;
import org.resbench.harness.io.NpyArray;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * {@code resbench predict} and {@code resbench grad} through the command line on every backend that can, against
 * the float64 reference called through the SPI, within the conformance suite's tolerances (logits
 * {@link Tolerances#LOGITS}, gradients {@link Tolerances#GRADIENTS}).
 */
class PredictGradCliTest {
  static final String SPEC = "resnet-8-sd-in3x8x8";

  static float[] randomInput(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  static void assertClose(String what, HostTensor expected, float[] actual, int[] shape, Tolerance tol) {
    assertArrayEquals(expected.shape(), shape, what + ": shape");
    float[] e = expected.data();
    double rms = 0;
    for (float v : e) {
      rms += (double) v * v;
    }
    rms = Math.sqrt(rms / Math.max(1, e.length));
    for (int i = 0; i < e.length; i++) {
      double err = Math.abs(actual[i] - e[i]);
      assertTrue(err <= tol.bound(e[i], rms), what + ": element " + i + " is " + actual[i] + ", reference " + e[i]
          + " (" + tol + ")");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "ort-cpu", "djl-pytorch-cpu"})
  void predictAndGradMatchTheReferenceOnEveryBackend(String backend, @TempDir Path dir) throws Exception {
    Backend b = Backends.discover().get(backend);
    Assumptions.assumeTrue(b.probe().can(Capability.PARAMETER_GRADIENTS), backend + " is not available here: "
        + b.probe().unavailableReason());
    ModelSpec spec = SpecNames.build(SPEC);
    int n = 4;
    float[] x = randomInput(11, n * 3 * 8 * 8);
    Path in = Npy.write(dir.resolve("x.npy"), NpyArray.of(x, n, 3, 8, 8));
    Path labels = Npy.write(dir.resolve("y.npy"), NpyArray.of(new long[] {0, 3, 9, 5}, n));
    BlockGates gates = BlockGates.of(1f, 0f, 0.5f);

    CliRunner.Run p = CliRunner.run("predict", SPEC, "--backend", backend, "--seed", "7", "--input", in.toString(),
        "--gates", "1,0,0.5", "--out", dir.resolve("logits.npy").toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().contains("logits (4, 10) float32 from " + backend), p.out());
    NpyArray logits = Npy.read(dir.resolve("logits.npy"));
    assertEquals(NpyArray.Dtype.FLOAT32, logits.dtype());

    CliRunner.Run g = CliRunner.run("grad", SPEC, "--backend", backend, "--seed", "7", "--input", in.toString(),
        "--labels", labels.toString(), "--bn", "train", "--gates", "1,0,0.5", "--out",
        dir.resolve("dx.npy").toString(), "--param-grads", dir.resolve("dw.npz").toString());
    assertEquals(0, g.code(), g.err());
    NpyArray dx = Npy.read(dir.resolve("dx.npy"));
    Map<String, NpyArray> dw = Npy.readNpz(dir.resolve("dw.npz"), 1 << 24);

    try (Session ref = new ReferenceBackend().open(spec, Initializer.initialize(spec, 7), SessionOptions.DEFAULT)) {
      HostTensor input = HostTensor.of(x, n, 3, 8, 8);
      assertClose(backend + " predict", ref.forward(input, BnMode.INFERENCE, gates), logits.toFloats(),
          logits.shape(), Tolerances.LOGITS);
      GradientResult r = ref.gradients(GradientRequest.builder(input, Objective.crossEntropy(new int[] {0, 3, 9, 5}))
          .optBnMode(BnMode.TRAIN).optGates(gates).optParameterGradients(true).build());
      assertClose(backend + " grad", r.inputGradient(), dx.toFloats(), dx.shape(), Tolerances.GRADIENTS);
      List<String> trainable = new ArrayList<>();
      for (ParameterSpec ps : spec.parameters()) {
        if (ps.trainable()) {
          trainable.add(ps.name());
          assertClose(backend + " d/d" + ps.name(), r.parameterGradients().get(ps.name()),
              dw.get(ps.name()).toFloats(), dw.get(ps.name()).shape(), Tolerances.GRADIENTS);
        }
      }
      assertEquals(trainable, List.copyOf(dw.keySet()), "one entry per trainable parameter, in spec order");
      String objective = g.out().replaceAll("(?s).*objective ([-0-9.eE]+).*", "$1");
      assertEquals(r.objective(), Double.parseDouble(objective), 1e-4 * Math.max(1, Math.abs(r.objective())),
          g.out());
    }
  }

  @Test
  void sumOfLogitsIsTheShatteredGradientsQuantity(@TempDir Path dir) {
    ModelSpec spec = SpecNames.build("mlp-3x16-res-bn");
    float[] x = new float[] {-1f, -0.5f, 0f, 0.25f, 1f};
    Path in = Npy.write(dir.resolve("x.npy"), NpyArray.of(x, 5, 1));
    CliRunner.Run g = CliRunner.run("grad", spec.name(), "--backend", "reference", "--input", in.toString(),
        "--objective", "sum-logits", "--bn", "train", "--out", dir.resolve("dx.npy").toString());
    assertEquals(0, g.code(), g.err());
    assertTrue(g.out().contains("d(sum of logits)/d(input) (5, 1)"), g.out());
    try (Session ref = new ReferenceBackend().open(spec, Initializer.initialize(spec, 0), SessionOptions.DEFAULT)) {
      HostTensor input = HostTensor.of(x, 5, 1);
      GradientResult r = ref.gradients(GradientRequest.builder(input, Objective.sumOfOutputs(5, 1))
          .optBnMode(BnMode.TRAIN).optGates(BlockGates.inference(spec)).build());
      assertArrayEquals(r.inputGradient().data(), Npy.read(dir.resolve("dx.npy")).toFloats(),
          "the same backend gives the same bits");
    }
  }

  @Test
  void shapesTypesLabelsAndGatesAreCheckedAgainstTheSpec(@TempDir Path dir) throws Exception {
    Path wrongShape = Npy.write(dir.resolve("a.npy"), NpyArray.of(new float[3 * 8 * 8], 3, 8, 8));
    CliRunner.Run r = CliRunner.run("predict", SPEC, "--backend", "reference", "--input", wrongShape.toString(),
        "--out", dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("shape (3, 8, 8); expected (N, 3, 8, 8) for " + SPEC), r.err());

    Path f64 = Npy.write(dir.resolve("b.npy"), NpyArray.of(new double[2 * 3 * 8 * 8], 2, 3, 8, 8));
    r = CliRunner.run("predict", SPEC, "--backend", "reference", "--input", f64.toString(), "--out",
        dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("dtype <f8 (float64); expected float32 '<f4' of shape (N, 3, 8, 8)"), r.err());

    Path ok = Npy.write(dir.resolve("c.npy"), NpyArray.of(new float[2 * 3 * 8 * 8], 2, 3, 8, 8));
    r = CliRunner.run("predict", SPEC, "--backend", "reference", "--input", ok.toString(), "--gates", "1,1",
        "--out", dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("2 values for " + SPEC + ", which has 3 blocks"), r.err());

    Path labels = Npy.write(dir.resolve("y.npy"), NpyArray.of(new long[] {1, 2, 3}, 3));
    r = CliRunner.run("grad", SPEC, "--backend", "reference", "--input", ok.toString(), "--labels", labels.toString(),
        "--out", dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("shape (3,); expected (2,), one label per example"), r.err());

    Path outOfRange = Npy.write(dir.resolve("z.npy"), NpyArray.of(new long[] {1, 10}, 2));
    r = CliRunner.run("grad", SPEC, "--backend", "reference", "--input", ok.toString(), "--labels",
        outOfRange.toString(), "--out", dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("label 10 at position 1; allowed: 0..9"), r.err());

    r = CliRunner.run("grad", SPEC, "--backend", "reference", "--input", ok.toString(), "--out",
        dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("no objective; allowed: --labels FILE.npy"), r.err());

    r = CliRunner.run("predict", SPEC, "--backend", "reference", "--input", dir.resolve("missing.npy").toString(),
        "--out", dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("missing.npy: no such file"), r.err());

    r = CliRunner.run("predict", SPEC, "--backend", "reference", "--input", ok.toString(), "--seed", "1",
        "--weights", "run:x", "--out", dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("--seed 1 and --weights run:x together"), r.err());

    Path garbage = dir.resolve("garbage.npy");
    java.nio.file.Files.writeString(garbage, "not numpy");
    r = CliRunner.run("predict", SPEC, "--backend", "reference", "--input", garbage.toString(), "--out",
        dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("garbage.npy: not a .npy file"), r.err());

    r = CliRunner.run("predict", SPEC, "--backend", "tpu", "--input", ok.toString(), "--out",
        dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("unknown backend 'tpu'; allowed:"), r.err());
  }

  @Test
  void aBackendWithoutGradientsSaysWhichCan(@TempDir Path dir) {
    Backend djlOrt = Backends.discover().get("djl-onnxruntime");
    Path ok = Npy.write(dir.resolve("c.npy"), NpyArray.of(new float[2 * 3 * 8 * 8], 2, 3, 8, 8));
    CliRunner.Run r = CliRunner.run("grad", SPEC, "--backend", "djl-onnxruntime", "--input", ok.toString(),
        "--objective", "sum-logits", "--out", dir.resolve("o.npy").toString());
    assertEquals(ExitCodes.BACKEND, r.code(), r.err());
    if (djlOrt.probe().available()) {
      assertTrue(r.err().contains("djl-onnxruntime: cannot compute input gradients (it lacks input-gradients"),
          r.err());
      assertTrue(r.err().contains("backends here that can: ") && r.err().contains("reference"), r.err());
    } else {
      assertTrue(r.err().contains("djl-onnxruntime: is unavailable here: "), r.err());
    }
  }
}
