package org.resbench.experiments.soak;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.data.Augmentation;
import org.resbench.harness.data.Batch;
import org.resbench.harness.data.BatchSampler;
import org.resbench.harness.data.DataOptions;
import org.resbench.harness.data.DataSplits;
import org.resbench.harness.data.Datasets;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

/**
 * The soak check's worker, run in a JVM of its own with a fixed heap: trains a small net on one backend for many
 * steps on seeded synthetic batches and prints, every few steps, the process's resident memory, open file
 * descriptors and threads (from {@code /proc/self}). A planted leak (native memory kept per step) proves the
 * check can see one. Not a test itself; {@link SoakTest} runs it.
 *
 * <p>Arguments: {@code BACKEND SPEC STEPS BATCH SAMPLE_EVERY [LEAK_BYTES_PER_STEP]}. Output lines:
 * {@code sample step=N rss=BYTES fds=N threads=N names=A,B,...} and, at the end, {@code done steps=N loss=L}.
 */
public final class SoakMain {
  private SoakMain() {}

  public static void main(String[] args) throws Exception {
    String backendName = args[0];
    ModelSpec spec = SpecNames.build(args[1]);
    int steps = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    int every = Integer.parseInt(args[4]);
    int leak = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    Backend backend = Backends.discover().get(backendName);
    DataSplits data = Datasets.synthetic(spec.inputShape(), spec.outputs(),
        DataOptions.defaults().withSyntheticSizes(2048, 64));
    BatchSampler sampler = new BatchSampler(data.train(), batch, 1, Augmentation.NONE);
    BlockGates gates = BlockGates.ones(spec);
    SessionOptions options = SessionOptions.builder().optThreads(1).optSgd(SgdConfig.HE_2016).build();
    List<ByteBuffer> leaked = new ArrayList<>();
    double loss = Double.NaN;
    try (Session s = backend.open(spec, Initializer.initialize(spec, 0), options)) {
      for (int step = 1; step <= steps; step++) {
        Batch b = sampler.next();
        StepResult r = s.trainStep(b.input(), b.labels(), gates, 0.01);
        loss = r.loss();
        if (leak > 0) {
          ByteBuffer buf = ByteBuffer.allocateDirect(leak);
          for (int i = 0; i < leak; i += 4096) {
            buf.put(i, (byte) 1); // touch every page, as a real leak's writes would
          }
          leaked.add(buf);
        }
        if (step % every == 0 || step == steps) {
          System.out.printf(Locale.ROOT, "sample step=%d rss=%d fds=%d threads=%d names=%s%n", step,
              status("VmRSS:") * 1024, fds(), status("Threads:"), threadNames());
          System.out.flush();
        }
      }
    }
    System.out.printf(Locale.ROOT, "done steps=%d loss=%.6f leaked=%d%n", steps, loss, leaked.size());
  }

  private static long status(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /** Every thread's name (Java and native), sorted: a changed count says which thread came or went. */
  private static String threadNames() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : s.toList()) {
        try {
          names.add(Files.readString(t.resolve("comm")).strip().replace(' ', '_').replace(',', '_'));
        } catch (IOException e) {
          // the thread ended while we looked
        }
      }
    }
    names.sort(null);
    return String.join(",", names);
  }

  private static long fds() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }
}
