package org.resbench.backend.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.backend.ort.onnx.GraphTarget;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * Sessions over a cached optimised graph ({@link OrtSessionCache}) train bit for bit as sessions built from the
 * graph; a damaged entry is rebuilt; the cache can be turned off.
 */
class OrtSessionCacheTest {
  private static final ModelSpec SPEC = SpecNames.build("resnet-8-sd0.5-in3x8x8");
  private static final int BATCH = 8; // above the batches that run the standard-operator graph

  private final String dirBefore = System.getProperty("resbench.ort.sessionCache.dir");

  @AfterEach
  void restoreProperties() {
    if (dirBefore == null) {
      System.clearProperty("resbench.ort.sessionCache.dir");
    } else {
      System.setProperty("resbench.ort.sessionCache.dir", dirBefore);
    }
    System.clearProperty("resbench.ort.sessionCache");
  }

  /** Three training steps (gates drawn per step) from the same weights; the final state's values in spec order. */
  private static List<float[]> train() {
    ModelState init = Initializer.initialize(SPEC, 3);
    HostTensor x = OrtTesting.input(SPEC, BATCH, 5);
    int[] y = OrtTesting.labels(BATCH, SPEC.outputs(), 6);
    try (OrtModelSession s = new OrtModelSession(OrtCpuBackend.NAME, OrtRuntime.get(), false, SPEC, init,
        SessionOptions.DEFAULT, GraphTarget.ortCpu(OrtRuntime.get().nchwcBlock()))) {
      for (int step = 0; step < 3; step++) {
        s.trainStep(x, y, BlockGates.sample(SPEC, new java.util.SplittableRandom(step)), 0.1);
      }
      ModelState end = s.readState();
      return end.tensors().values().stream().map(t -> t.data().clone()).toList();
    }
  }

  private static List<Path> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void aCachedSessionTrainsBitForBitAsABuiltOne(@TempDir Path dir) throws IOException {
    assumeTrue(OrtRuntime.get().nchwcBlock() > 0, "no NCHWc kernels here: training graphs are not blocked");
    System.setProperty("resbench.ort.sessionCache", "false");
    List<float[]> uncached = train();
    System.clearProperty("resbench.ort.sessionCache");
    System.setProperty("resbench.ort.sessionCache.dir", dir.toString());
    List<float[]> first = train();
    List<Path> written = entries(dir);
    assertEquals(1, written.size(), "one entry (the training graph), no temporary files left: " + written);
    assertTrue(written.get(0).getFileName().toString().endsWith(".onnx") && Files.size(written.get(0)) > 1000);
    List<float[]> second = train(); // from the entry
    assertEquals(uncached.size(), second.size());
    for (int i = 0; i < uncached.size(); i++) {
      assertArrayEquals(uncached.get(i), first.get(i), "tensor " + i + ", session writing the entry");
      assertArrayEquals(uncached.get(i), second.get(i), "tensor " + i + ", session loaded from the entry");
    }
  }

  @Test
  void aDamagedEntryIsRebuilt(@TempDir Path dir) throws IOException {
    assumeTrue(OrtRuntime.get().nchwcBlock() > 0, "no NCHWc kernels here: training graphs are not blocked");
    System.setProperty("resbench.ort.sessionCache.dir", dir.toString());
    List<float[]> good = train();
    Path entry = entries(dir).get(0);
    long size = Files.size(entry);
    Files.write(entry, new byte[] {1, 2, 3});
    List<float[]> again = train();
    for (int i = 0; i < good.size(); i++) {
      assertArrayEquals(good.get(i), again.get(i), "tensor " + i);
    }
    assertEquals(size, Files.size(entry), "the damaged entry was replaced by a whole one");
  }

  @Test
  void turnedOffItWritesNothing(@TempDir Path dir) throws IOException {
    System.setProperty("resbench.ort.sessionCache.dir", dir.toString());
    System.setProperty("resbench.ort.sessionCache", "false");
    train();
    assertEquals(List.of(), entries(dir));
  }

  @Test
  void entriesDependOnTheGraphAndTheEngineVersion() {
    Path a = OrtSessionCache.entry(new byte[] {1, 2}, "1.22.0");
    assertEquals(a, OrtSessionCache.entry(new byte[] {1, 2}, "1.22.0"));
    assertTrue(!a.equals(OrtSessionCache.entry(new byte[] {1, 3}, "1.22.0")));
    assertTrue(!a.equals(OrtSessionCache.entry(new byte[] {1, 2}, "1.23.0")));
    assertTrue(!OrtSessionCache.cpuIdentity().isBlank());
  }
}
