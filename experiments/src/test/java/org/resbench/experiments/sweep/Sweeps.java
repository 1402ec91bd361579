package org.resbench.experiments.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.resbench.results.JsonCodec;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;

/** Sweep files and helpers shared by the sweep tests. */
final class Sweeps {
  private Sweeps() {}

  /** Four quick cells of shattered-gradients on the reference backend (deterministic: pure Java, float64 inside). */
  static final String MINI = String.join("\n",
      "# four small cells of shattered-gradients on the pure-Java reference backend",
      "experiment: shattered-gradients",
      "backends: [reference]",
      "set:",
      "  depths: [1, 4]",
      "  points: 32",
      "  maxLag: 8",
      "  convDepths: []",
      "  mlpFamilies: [ff-bn, res-bn]",
      "grid:",
      "  seeds: [[1], [2]]",
      "  width: [16, 32]",
      "");

  static Path write(Path dir, String name, String text) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve(name), text);
  }

  /** Each cell's data as JSON, by cell id: what must match number for number between two runs of a sweep. */
  static Map<String, String> dataByCell(Path results) {
    Map<String, String> m = new TreeMap<>();
    for (RunRecord r : new ResultsStore(results).list()) {
      if (r.provenance().sweep() != null) {
        m.put(r.provenance().sweep().cell(), JsonCodec.write(r.data()));
      }
    }
    return m;
  }

  /** A {@code java} command running resbench's main class with this JVM's class path. */
  static List<String> javaMain(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        "org.resbench.cli.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
