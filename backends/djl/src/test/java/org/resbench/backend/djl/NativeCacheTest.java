package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.backend.Capabilities;

/** Issue 17, class 7: cached native libraries are verified before they are loaded; leftovers are cleaned up. */
class NativeCacheTest {
  @TempDir
  Path root;

  private static byte[] content(String name, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (name.hashCode() * 31 + i);
    }
    return b;
  }

  private static List<NativeCache.Library> libraries() {
    List<NativeCache.Library> libs = new ArrayList<>();
    for (String n : List.of("libone.so", "libtwo.so", "0.1-libjni.so")) {
      byte[] b = content(n, 10_000 + n.length());
      libs.add(new NativeCache.Library(n, b.length, () -> new ByteArrayInputStream(b)));
    }
    return libs;
  }

  @Test
  void extractsOnceThenVerifiesCheaply() throws Exception {
    NativeCache.Outcome o = NativeCache.prepare(root, "v1-cpu", libraries());
    assertEquals("extracted", o.action());
    Path dir = root.resolve("v1-cpu");
    for (NativeCache.Library l : libraries()) {
      assertArrayEquals(content(l.name(), (int) l.size()), Files.readAllBytes(dir.resolve(l.name())));
    }
    assertTrue(Files.readString(dir.resolve(NativeCache.MANIFEST)).contains(" libone.so\n"));
    Object inode = Files.getAttribute(dir.resolve("libone.so"), "unix:ino");
    assertEquals("verified", NativeCache.prepare(root, "v1-cpu", libraries()).action());
    assertEquals(inode, Files.getAttribute(dir.resolve("libone.so"), "unix:ino"), "a good cache is not rewritten");
  }

  @Test
  void aTruncatedOrOverwrittenLibraryIsExtractedAgain() throws Exception {
    NativeCache.prepare(root, "v1-cpu", libraries());
    Path lib = root.resolve("v1-cpu").resolve("libtwo.so");
    try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.WRITE)) {
      ch.truncate(100); // what a full disk or a killed copy leaves: mapping it would crash the JVM (SIGBUS)
    }
    NativeCache.Outcome o = NativeCache.prepare(root, "v1-cpu", libraries());
    assertEquals("repaired", o.action());
    assertTrue(o.detail().contains("libtwo.so is 100 bytes, expected 10,009 (truncated or replaced)"), o.detail());
    assertEquals(10_009, Files.size(lib));

    // Garbage of the same size ("invalid ELF header"): caught by the checksum, since the file's time changed.
    byte[] garbage = new byte[10_009];
    Files.write(lib, garbage);
    Files.setLastModifiedTime(lib, FileTime.from(Instant.now().plusSeconds(5)));
    o = NativeCache.prepare(root, "v1-cpu", libraries());
    assertEquals("repaired", o.action());
    assertTrue(o.detail().contains("libtwo.so has changed since it was extracted"), o.detail());
    assertArrayEquals(content("libtwo.so", 10_009), Files.readAllBytes(lib));
    try (Stream<Path> s = Files.list(root)) {
      assertEquals(List.of("v1-cpu"), s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".resbench.lock")).toList(), "no temporary or stale folder left");
    }
  }

  @Test
  void aFolderDjlExtractedIsVerifiedAgainstTheJarAndKept() throws Exception {
    Path dir = Files.createDirectories(root.resolve("v1-cpu"));
    for (NativeCache.Library l : libraries()) {
      Files.write(dir.resolve(l.name()), content(l.name(), (int) l.size()));
    }
    Object inode = Files.getAttribute(dir.resolve("libone.so"), "unix:ino");
    NativeCache.Outcome o = NativeCache.prepare(root, "v1-cpu", libraries());
    assertEquals("verified", o.action());
    assertTrue(o.detail().contains("extracted by DJL; now recorded"), o.detail());
    assertEquals(inode, Files.getAttribute(dir.resolve("libone.so"), "unix:ino"));
    assertTrue(Files.exists(dir.resolve(NativeCache.MANIFEST)));
  }

  @Test
  void leftoversOfInterruptedExtractionsAreRemoved() throws Exception {
    Path oldDjl = Files.createDirectories(root.resolve("tmp1234567890"));
    Files.write(oldDjl.resolve("libtorch_cpu.so"), new byte[1000]); // a killed first extraction (~290 MB in life)
    Files.setLastModifiedTime(oldDjl, FileTime.from(Instant.now().minus(NativeCache.DJL_TEMP_GRACE).minusSeconds(5)));
    Path freshDjl = Files.createDirectories(root.resolve("tmp9876543210"));
    Path ours = Files.createDirectories(root.resolve(".resbench-extract-abcdef"));
    NativeCache.Outcome o = NativeCache.prepare(root, "v1-cpu", libraries());
    assertFalse(Files.exists(oldDjl), "an abandoned DJL extraction is deleted");
    assertFalse(Files.exists(ours), "our own temporary folder is deleted (we hold the lock)");
    assertTrue(Files.exists(freshDjl), "a DJL extraction that may be in progress is left alone");
    assertTrue(o.removed().contains(oldDjl) && o.removed().contains(ours), o.removed().toString());
  }

  @Test
  void aDamagedCacheThatCannotBeRepairedNamesTheFolderToDelete() throws Exception {
    NativeCache.prepare(root, "v1-cpu", libraries());
    Files.writeString(root.resolve("v1-cpu").resolve("libone.so"), "garbage");
    List<NativeCache.Library> gone = libraries().stream().map(l -> new NativeCache.Library(l.name(), l.size(), () -> {
      throw new IOException("the natives jar is gone");
    })).toList();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NativeCache.prepare(root, "v1-cpu", gone));
    assertTrue(e.getMessage().contains("is damaged (libone.so is 7 bytes, expected 10,009"), e.getMessage());
    assertTrue(e.getMessage().contains("delete the folder " + root.resolve("v1-cpu")), e.getMessage());
  }

  /**
   * Entry point of the child JVM: probes DJL's OnnxRuntime backend first (its engine loads PyTorch as its
   * "alternative engine", outside the PyTorch backend) and then the PyTorch backend, with the cache of its command
   * line.
   */
  public static final class Child {
    public static void main(String[] args) {
      Capabilities o = new DjlOnnxRuntimeBackend().probe();
      System.out.println("onnxruntime available=" + o.available());
      Capabilities c = new DjlPyTorchCpuBackend().probe();
      System.out.println("available=" + c.available() + (c.available() ? "" : " reason=" + c.unavailableReason()));
    }
  }

  private static String child(Path cache) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-D" + DjlNatives.CACHE_PROPERTY + "=" + cache,
        "-Dai.djl.offline=true", "-XX:ErrorFile=" + cache.resolveSibling("hs_err_pid%p.log"), Child.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(cache.getParent().toFile());
    pb.environment().remove("ENGINE_CACHE_DIR");
    Process p = pb.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "the JVM must not crash (134 = SIGBUS): " + out);
    return out;
  }

  /** The real PyTorch natives: a truncated library in the cache is re-extracted and the engine loads. */
  @Test
  void aTruncatedPyTorchLibraryNoLongerCrashesTheJvm(@TempDir Path work) throws Exception {
    Path cache = Files.createDirectories(work.resolve("cache"));
    String first = child(cache);
    assertTrue(first.contains("available=true"), first);
    assertTrue(first.contains("extracted the PyTorch natives"), first);
    Path lib;
    try (Stream<Path> s = Files.walk(cache)) {
      lib = s.filter(p -> p.getFileName().toString().equals("libc10.so")).findFirst().orElseThrow();
    }
    try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    String second = child(cache);
    assertTrue(second.contains("available=true"), second);
    assertTrue(second.contains("re-extracted the damaged PyTorch natives (libc10.so is"), second);
    try (Stream<Path> s = Files.list(work)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("hs_err")), "no crash log");
    }
    assertTrue(new File(lib.toString()).length() > 1_000_000);
  }
}
