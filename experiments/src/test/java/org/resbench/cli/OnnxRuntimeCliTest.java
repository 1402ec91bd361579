package org.resbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.spec.SpecNames;

/**
 * The ONNX Runtime backends and the ONNX exporter as the CLI sees them, through the real {@code ServiceLoader}
 * (this module has them at runtime scope only, so no ONNX Runtime type is named here).
 */
class OnnxRuntimeCliTest {

  private static JsonNode backend(JsonNode list, String name) {
    for (JsonNode b : list) {
      if (b.get("name").asText().equals(name)) {
        return b;
      }
    }
    throw new AssertionError(name + " not listed in " + list);
  }

  @Test
  void backendsListsOrtCpuAvailableAndOrtCudaUnavailableWithTheReason() throws Exception {
    CliRunner.Run r = CliRunner.run("backends", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode list = new ObjectMapper().readTree(r.out());
    JsonNode cpu = backend(list, "ort-cpu");
    assertTrue(cpu.get("available").asBoolean(), cpu.toString());
    assertEquals("cpu", cpu.get("device").asText());
    for (String c : new String[] {"inference", "input-gradients", "parameter-gradients", "training", "path-masks"}) {
      assertTrue(cpu.get("capabilities").toString().contains(c), c + " in " + cpu);
    }
    JsonNode cuda = backend(list, "ort-cuda");
    assertEquals("cuda", cuda.get("device").asText());
    Assumptions.assumeFalse(cuda.get("available").asBoolean(), "a usable CUDA device is present here");
    // The default build carries the CPU-only ONNX Runtime (the GPU one comes with -Pcuda); either way the reason
    // says what is missing and what is needed.
    String reason = cuda.get("reason").asText();
    assertTrue(reason.contains("-Pcuda") || reason.contains("CUDA cannot be used here"), reason);
    assertTrue(reason.contains("CUDA 12") && reason.contains("cuDNN 9") && reason.contains("ort-cpu"), reason);

    CliRunner.Run text = CliRunner.run("backends");
    assertTrue(text.out().contains("unavailable: " + reason.substring(0, 40)), text.out());
  }

  @Test
  void exportWritesAnOnnxModelWithProvenance(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/r8.onnx");
    CliRunner.Run r = CliRunner.run("export", "resnet-8-in3x8x8", "--out", file.toString(), "--seed", "5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote " + file), r.out());
    byte[] bytes = Files.readAllBytes(file);
    // A protobuf ModelProto starting with field 1 (ir_version, varint 8); metadata strings are stored verbatim.
    assertEquals(0x08, bytes[0]);
    assertEquals(8, bytes[1]);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    String hash = SpecNames.build("resnet-8-in3x8x8").hash();
    for (String s : new String[] {"resbench.spec.name", "resnet-8-in3x8x8", "resbench.spec.hash", hash,
        "resbench.seed", "resbench.version", "resbench.gates", "logits", "gates"}) {
      assertTrue(text.contains(s), s);
    }
    try (var listing = Files.list(file.getParent())) {
      assertEquals(1, listing.count(), "no temporary file is left beside the model");
    }

    CliRunner.Run again = CliRunner.run("export", "resnet-8-in3x8x8", "--out", file.toString(), "--seed", "5");
    assertEquals(0, again.code(), again.err());
    assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(file)), "the same seed writes the same bytes");
  }

  @Test
  void exportRejectsBadInputWithUsageErrors(@TempDir Path dir) {
    CliRunner.Run unknown = CliRunner.run("export", "resnet-20", "--out", dir.resolve("x.bin").toString(), "--format",
        "tflite");
    assertEquals(ExitCodes.USAGE, unknown.code());
    assertTrue(unknown.err().contains("--format tflite is unknown; allowed: onnx"), unknown.err());

    CliRunner.Run directory = CliRunner.run("export", "resnet-20", "--out", dir.toString());
    assertEquals(ExitCodes.USAGE, directory.code());
    assertTrue(directory.err().contains("is a folder; allowed: a file path"), directory.err());

    CliRunner.Run missing = CliRunner.run("export", "resnet-20");
    assertEquals(ExitCodes.USAGE, missing.code());
    assertTrue(missing.err().contains("--out"), missing.err());
  }

  @Test
  void exportToAnUnwritablePlaceIsAnIoError(@TempDir Path dir) throws Exception {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    CliRunner.Run r = CliRunner.run("export", "mlp-2x4-ff", "--out", blocker.resolve("m.onnx").toString());
    assertEquals(ExitCodes.IO, r.code(), r.err());
    assertTrue(r.err().contains("cannot write"), r.err());
  }
}
