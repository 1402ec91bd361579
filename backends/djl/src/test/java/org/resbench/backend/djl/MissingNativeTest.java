package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.backend.Capabilities;

/**
 * Without the {@code pytorch-native-cpu} jar on the class path and with an empty cache, the backend reports
 * at once (offline: no download attempt) that the natives are missing and what to put on the class path.
 * Runs a child JVM with this test's class path minus the native jar.
 */
class MissingNativeTest {

  /** Entry point of the child JVM: prints the probe's verdict. */
  public static final class Child {
    public static void main(String[] args) {
      Capabilities c = new DjlPyTorchCpuBackend().probe();
      System.out.println("available=" + c.available());
      System.out.println("reason=" + c.unavailableReason());
    }
  }

  @Test
  void aMissingNativeJarFailsFastWithAClearMessage(@TempDir Path cache) throws Exception {
    String cp = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("pytorch-native-cpu")).collect(Collectors.joining(File.pathSeparator));
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", cp, "-D" + DjlNatives.CACHE_PROPERTY + "=" + cache, Child.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("DJL_OFFLINE");
    pb.environment().remove("ENGINE_CACHE_DIR");
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish within 120 s");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("available=false"), out);
    assertTrue(out.contains("the PyTorch native library could not be loaded"), out);
    assertTrue(out.contains("pytorch-native-cpu:2.7.1"), out);
    assertTrue(out.contains("offline"), out);
    try (Stream<Path> s = Files.list(cache)) {
      assertTrue(s.noneMatch(f -> f.getFileName().toString().startsWith("tmp")), "no partial download left");
    }
  }
}
