package org.resbench.harness.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

  @Test
  void everyTypeAndShapeRoundTrips() {
    NpyArray[] arrays = {NpyArray.of(new float[] {1.5f, -2f, Float.MIN_VALUE, Float.NaN, 3f, 4f}, 2, 3),
        NpyArray.of(new double[] {Math.PI}, new int[0]), NpyArray.of(new long[] {Long.MIN_VALUE, 7}, 2),
        NpyArray.of(new float[0], 0, 4)};
    for (NpyArray a : arrays) {
      byte[] b = Npy.bytes(a);
      assertEquals(0, headerEnd(b) % 64, "header padded to 64 bytes as NumPy does");
      NpyArray back = Npy.read(b, "test");
      assertEquals(a.dtype(), back.dtype());
      assertArrayEquals(a.shape(), back.shape());
      assertArrayEquals(a.toDoubles(), back.toDoubles(), 0);
    }
  }

  @Test
  void numpyReadsWhatWeWriteAndWeReadWhatNumpyWrites(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(python("import numpy") == 0, "python3 with numpy not available; skipping the cross-check");
    Path ours = dir.resolve("ours.npz");
    Map<String, NpyArray> m = new LinkedHashMap<>();
    m.put("block0.conv1.weight", NpyArray.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3));
    m.put("labels", NpyArray.of(new long[] {3, 1}, 2));
    Npy.writeNpz(ours, m);
    Path theirs = dir.resolve("theirs.npy");
    Path fortran = dir.resolve("fortran.npy");
    Path bigEndian = dir.resolve("big.npy");
    assertEquals(0, python("import numpy as np\n"
        + "z = np.load('" + ours + "')\n"
        + "assert z['block0.conv1.weight'].dtype == np.float32 and z['block0.conv1.weight'].shape == (1, 2, 3)\n"
        + "assert z['block0.conv1.weight'][0, 1, 2] == 6 and list(z['labels']) == [3, 1]\n"
        + "np.save('" + theirs + "', np.arange(12, dtype=np.float64).reshape(3, 4) / 4)\n"
        + "np.save('" + fortran + "', np.asfortranarray(np.ones((2, 3), dtype=np.float32)))\n"
        + "np.save('" + bigEndian + "', np.ones(3, dtype='>f4'))\n"));
    NpyArray t = Npy.read(theirs);
    assertArrayEquals(new int[] {3, 4}, t.shape());
    assertEquals(11 / 4.0, t.toDoubles()[11], 0);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.read(fortran)).getMessage()
        .contains("Fortran"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.read(bigEndian)).getMessage()
        .contains("'>f4'"));
  }

  @Test
  void defectsAreRefusedWithTheirName() {
    byte[] good = Npy.bytes(NpyArray.of(new float[] {1, 2, 3, 4}, 4));
    assertMessage(new byte[] {1, 2, 3}, "magic");
    assertMessage(java.util.Arrays.copyOf(good, 20), "truncated header");
    assertMessage(java.util.Arrays.copyOf(good, good.length - 1), "untruncated");
    assertMessage(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647), }"),
        "too large");
    assertMessage(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }"), "needs");
    assertMessage(withHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }"), "'|u1'");
    assertMessage(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }"), "dimension");
    assertMessage(withHeader("{'descr': '<f4', 'shape': (3,), }"), "fortran_order");
    byte[] v9 = good.clone();
    v9[6] = 9;
    assertMessage(v9, "version 9");
  }

  @Test
  void randomCorruptionNeverEscapesAsAnythingButAClearError() {
    SplittableRandom r = new SplittableRandom(42);
    byte[] good = Npy.bytes(NpyArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
    for (int trial = 0; trial < 5000; trial++) {
      byte[] b = java.util.Arrays.copyOf(good, r.nextInt(good.length + 1));
      int flips = 1 + r.nextInt(4);
      for (int i = 0; i < flips && b.length > 0; i++) {
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      }
      try {
        NpyArray a = Npy.read(b, "fuzz");
        assertTrue(a.size() <= 6, "never more elements than the bytes hold");
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage().startsWith("fuzz: "), expected.getMessage());
      }
    }
  }

  @Test
  void npzRejectsNonZipsAndOversizedEntries(@TempDir Path dir) throws Exception {
    Path notZip = dir.resolve("x.npz");
    Files.writeString(notZip, "hello");
    assertThrows(IllegalArgumentException.class, () -> Npy.readNpz(notZip, 1 << 20));
    Path ok = dir.resolve("ok.npz");
    Npy.writeNpz(ok, Map.of("a", NpyArray.of(new float[1000], 1000)));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.readNpz(ok, 100)).getMessage()
        .contains("larger than 100 bytes"));
    assertEquals(1000, Npy.readNpz(ok, 1 << 20).get("a").size());
  }

  private static void assertMessage(byte[] b, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(b, "f.npy"));
    assertTrue(e.getMessage().contains(part) && e.getMessage().contains("allowed:"), e.getMessage());
  }

  private static byte[] withHeader(String dict) {
    byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
    return b.array();
  }

  private static int headerEnd(byte[] b) {
    return 10 + (ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff);
  }

  private static int python(String script) throws Exception {
    try {
      Process p = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0) {
        System.err.println(new String(out, StandardCharsets.UTF_8));
      }
      return p.exitValue();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
