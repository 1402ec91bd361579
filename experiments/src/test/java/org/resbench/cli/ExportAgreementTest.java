package org.resbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.conformance.Tolerances;
import org.resbench.harness.io.Npy;
import org.resbench.harness.io.NpyArray;
import org.resbench.harness.tensor.HostTensor;

/**
 * What a user checking our numbers with an ONNX tool sees: the model {@code resbench export} writes, run by plain
 * ONNX Runtime (its Java API with default session options, none of resbench's graph code), gives the logits that
 * {@code resbench predict} writes for the same input and seed, on every backend that runs inference here, within
 * the conformance suite's logit tolerance. (ONNX Runtime's types appear only in this test: the module's main code
 * reaches backends through ServiceLoader alone.)
 */
class ExportAgreementTest {

  @Test
  void theExportedOnnxModelAndPredictAgreeOnEveryBackend(@TempDir Path dir) throws Exception {
    String spec = "resnet-8-b-in3x8x8";
    int n = 3;
    float[] x = PredictGradCliTest.randomInput(5, n * 3 * 8 * 8);
    Path in = Npy.write(dir.resolve("x.npy"), NpyArray.of(x, n, 3, 8, 8));
    Path onnx = dir.resolve("model.onnx");
    CliRunner.Run e = CliRunner.run("export", spec, "--seed", "9", "--out", onnx.toString());
    assertEquals(0, e.code(), e.err());

    float[] expected;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx.toString(), options);
        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, 3, 8, 8});
        OrtSession.Result out = session.run(Map.of("input", input))) {
      float[][] logits = (float[][]) out.get("logits").orElseThrow().getValue();
      expected = new float[n * logits[0].length];
      for (int i = 0; i < n; i++) {
        System.arraycopy(logits[i], 0, expected, i * logits[i].length, logits[i].length);
      }
    }
    HostTensor onnxLogits = HostTensor.of(expected, n, 10);

    List<String> checked = new ArrayList<>();
    for (Backend b : Backends.discover().all()) {
      if (!b.probe().can(Capability.INFERENCE)) {
        System.out.println("ExportAgreementTest: " + b.name() + " skipped: " + (b.probe().available()
            ? "no inference" : b.probe().unavailableReason()));
        continue;
      }
      Path out = dir.resolve(b.name() + ".npy");
      CliRunner.Run p = CliRunner.run("predict", spec, "--backend", b.name(), "--seed", "9", "--input", in.toString(),
          "--out", out.toString());
      assertEquals(0, p.code(), b.name() + ": " + p.err());
      NpyArray got = Npy.read(out);
      PredictGradCliTest.assertClose(b.name() + " predict vs the exported ONNX model", onnxLogits, got.toFloats(),
          got.shape(), Tolerances.LOGITS);
      checked.add(b.name());
    }
    assertTrue(checked.containsAll(List.of("reference", "ort-cpu", "djl-pytorch-cpu")), "checked: " + checked);
  }
}
