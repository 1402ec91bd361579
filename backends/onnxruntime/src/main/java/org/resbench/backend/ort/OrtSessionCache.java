package org.resbench.backend.ort;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.resbench.harness.data.DataFile;
import org.resbench.harness.io.UserDirs;

/**
 * ONNX Runtime's optimised copies of the blocked (training) graphs, kept on disk so that the next session over the
 * same graph loads without optimising it again: ResNet-110's gated training step takes 1.4-1.6 s to create and
 * 0.6-0.7 s from its optimised copy ({@code devtools.SessionCreationProbe resnet-110 true BASIC 3}).
 *
 * <p>An entry is keyed by the SHA-256 of the graph's bytes, ONNX Runtime's version and this CPU (model name and
 * flags: the blocked graph's NCHWc layout and the optimiser's kernels are the CPU's), so another graph, engine or
 * machine never reads it. Folder: {@code -Dresbench.ort.sessionCache.dir}, else {@code $RESBENCH_CACHE/ort}, else
 * {@code ~/.resbench/cache/ort}; {@code -Dresbench.ort.sessionCache=false} turns it off. An entry is written beside
 * its final name and moved into place, so a reader sees a whole file or none; one that ONNX Runtime cannot load is
 * deleted and the session is created from the graph as if there were no cache. The cache is an optimisation only: a
 * folder that cannot be written costs the saving, nothing else. Stateless; thread-safe (concurrent writers of one
 * entry write the same bytes, and the last move wins).
 */
final class OrtSessionCache {
  private OrtSessionCache() {}

  /** Whether sessions use the cache (not for CUDA sessions, whose optimised graphs depend on the device). */
  static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty("resbench.ort.sessionCache", "true"));
  }

  /** The cache folder (see the class comment). */
  static Path folder() {
    String dir = System.getProperty("resbench.ort.sessionCache.dir");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String env = System.getenv("RESBENCH_CACHE");
    return env != null && !env.isBlank() ? Path.of(env).resolve("ort") : UserDirs.resbenchHome().resolve("cache")
        .resolve("ort");
  }

  /** The entry for {@code model} built by ONNX Runtime {@code ortVersion} on this CPU. */
  static Path entry(byte[] model, String ortVersion) {
    MessageDigest sha = DataFile.digest();
    sha.update(model);
    sha.update(("\0" + ortVersion + "\0" + cpuIdentity()).getBytes(StandardCharsets.UTF_8));
    return folder().resolve(HexFormat.of().formatHex(sha.digest()) + ".onnx");
  }

  /**
   * A session over {@code model} at ONNX Runtime's basic optimisation level, from the cached optimised copy when there
   * is one, else built from the graph (writing the copy for next time).
   *
   * @param options the session options to use (threads etc.); their optimisation level and optimised-model path are
   *     set here
   */
  static OrtSession create(OrtRuntime rt, byte[] model, OrtSession.SessionOptions options) throws OrtException {
    Path entry = entry(model, rt.env.getVersion());
    if (Files.isRegularFile(entry)) {
      try {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        return rt.env.createSession(entry.toString(), options);
      } catch (OrtException e) {
        deleteQuietly(entry); // damaged or from an incompatible build: rebuilt below
      }
    }
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
    Path partial = null;
    try {
      Files.createDirectories(entry.getParent());
      partial = Files.createTempFile(entry.getParent(), ".partial-", ".onnx");
      options.setOptimizedModelFilePath(partial.toString());
    } catch (IOException | OrtException e) {
      partial = null; // an unwritable folder: no entry this time
    }
    OrtSession session = rt.env.createSession(model, options);
    if (partial != null) {
      try {
        if (Files.size(partial) > 0) {
          Files.move(partial, entry, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        // the session is fine; only the entry is lost
      } finally {
        deleteQuietly(partial);
      }
    }
    return session;
  }

  /** This CPU's model name and flags (the first processor's, from {@code /proc/cpuinfo}), or the JVM's arch. */
  static String cpuIdentity() {
    return CpuIdentity.VALUE;
  }

  /** Read once per JVM, on first use. */
  private static final class CpuIdentity {
    static final String VALUE = read();
  }

  private static String read() {
    StringBuilder id = new StringBuilder(System.getProperty("os.arch", "?"));
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
      for (String key : List.of("model name", "flags", "Features")) {
        lines.stream().filter(l -> l.startsWith(key)).findFirst().ifPresent(l -> id.append('\n').append(l.trim()));
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the architecture alone
    }
    return id.toString();
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a leftover temporary file in the cache folder; harmless
    }
  }
}
