package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * Per-step NDManager scopes keep native memory flat: resident memory (VmRSS) after 2,000 training steps of a
 * small net is within 10% of that after 200 (the first 200 steps let allocator pools and PyTorch's caches reach
 * their working size). Each step also runs a forward pass, and every tenth a gradient request, so every call
 * path is covered; stochastic-depth gates vary per step so branches are skipped and run in turn.
 *
 * <p>The steps run in a child JVM whose Java heap is fixed and touched up front ({@code -Xms96m -Xmx96m
 * -XX:+AlwaysPreTouch}): otherwise the JVM touching fresh heap pages for its garbage (DJL makes a few hundred
 * kB of it per step) raises VmRSS by ~80% over these steps although native memory does not grow. One
 * intra-op thread keeps the run short (with two, JVM threads on this 2-core machine stall PyTorch's spinning
 * OpenMP threads).
 */
class PtMemoryTest {
  private static final Pattern LINE = Pattern.compile("rss200=(\\d+) rss2000=(\\d+)");

  /** Entry point of the child JVM: runs the steps and prints VmRSS after 200 and 2,000 of them. */
  public static final class Child {
    public static void main(String[] args) throws IOException {
      ModelSpec spec = SpecNames.build("resnet-8-sd-in3x8x8");
      HostTensor x = DjlTestSupport.input(spec, 8, 1);
      int[] labels = DjlTestSupport.labels(spec, 8, 2);
      var gateRng = Rngs.stream(3, "test/gates");
      long at200 = 0;
      long at2000;
      try (Session s = new DjlPyTorchCpuBackend().open(spec, DjlTestSupport.state(spec, 4),
          SessionOptions.builder().optThreads(1).build())) {
        GradientRequest request = GradientRequest.builder(x, Objective.crossEntropy(labels))
            .optParameterGradients(true).build();
        for (int step = 1; step <= 2000; step++) {
          s.trainStep(x, labels, BlockGates.sample(spec, gateRng), 0.01);
          s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec));
          if (step % 10 == 0) {
            s.gradients(request);
          }
          if (step == 200) {
            at200 = rssKb();
          }
        }
        at2000 = rssKb();
      }
      System.out.println("rss200=" + at200 + " rss2000=" + at2000);
    }
  }

  @Test
  void residentMemoryStaysFlatOverTwoThousandSteps() throws Exception {
    Assumptions.assumeTrue(Files.isReadable(Paths.get("/proc/self/status")), "needs /proc/self/status (Linux)");
    List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms96m", "-Xmx96m", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true",
        "-D" + DjlNatives.CACHE_PROPERTY + "=" + DjlNatives.cacheDir(),
        "-cp", System.getProperty("java.class.path"), Child.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish within 300 s");
    assertEquals(0, p.exitValue(), out);
    Matcher m = LINE.matcher(out);
    assertTrue(m.find(), out);
    long at200 = Long.parseLong(m.group(1));
    long at2000 = Long.parseLong(m.group(2));
    System.out.printf("VmRSS after 200 steps: %d kB, after 2000 steps: %d kB (%+.1f%%)%n", at200, at2000,
        100.0 * (at2000 - at200) / at200);
    assertTrue(at2000 <= at200 * 1.10, () -> "VmRSS grew from " + at200 + " kB after 200 steps to " + at2000
        + " kB after 2000 steps; allowed: at most +10%");
  }

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS line in /proc/self/status");
  }
}
