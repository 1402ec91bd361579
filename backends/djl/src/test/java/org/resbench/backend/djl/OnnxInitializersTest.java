package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.backend.ModelExporter;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

/** Removing the gates' default turns them from an overridable initializer into a required input. */
class OnnxInitializersTest {

  @Test
  void removingTheGatesDefaultMakesThemARequiredInput(@TempDir Path dir) throws Exception {
    ModelExporter exporter = DjlOnnxRuntimeBackend.exporter().orElseThrow();
    ModelSpec spec = SpecNames.build("resnet-8-in3x8x8");
    Path file = dir.resolve("m.onnx");
    exporter.export(spec, Initializer.initialize(spec, 1), file, Map.of());
    byte[] model = Files.readAllBytes(file);
    OnnxInitializers.Stripped s = OnnxInitializers.remove(model, "gates");
    assertTrue(s.removed());
    assertTrue(s.model().length < model.length);
    // ONNX Runtime reads both; only the stripped one lists the gates as a required input. DJL's engine must
    // create the process's environment (it cannot share one made before it), so it is loaded first.
    assertTrue(DjlNatives.onnxRuntime().ok(), () -> DjlNatives.onnxRuntime().failure());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        OrtSession before = env.createSession(model, o);
        OrtSession after = env.createSession(s.model(), o)) {
      assertEquals(Set.of("input"), before.getInputNames());
      assertEquals(Set.of("input", "gates"), after.getInputNames());
      assertEquals(before.getOutputNames(), after.getOutputNames());
    }
    OnnxInitializers.Stripped none = OnnxInitializers.remove(model, "no-such-tensor");
    assertFalse(none.removed());
    assertArrayEquals(model, none.model(), "nothing else changes");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxInitializers.remove(Arrays.copyOf(model, model.length / 2), "gates"));
    assertTrue(e.getMessage().startsWith("ONNX model: "), e.getMessage());
  }
}
