package org.resbench.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.util.Platform;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.resbench.harness.io.UserDirs;

/**
 * Where DJL keeps its native libraries, and how the DJL engines are loaded: once per JVM, lazily, on the
 * first probe or session (never in a static initialiser). Thread-safe.
 *
 * <p>Native cache folder, first match wins:
 * <ol>
 *   <li>the environment variable {@code ENGINE_CACHE_DIR} (DJL's own; DJL reads it before anything resbench
 *       can set, so it cannot be overridden from Java);
 *   <li>the system property {@value #CACHE_PROPERTY};
 *   <li>the environment variable {@value #CACHE_ENV};
 *   <li>the system property {@code ENGINE_CACHE_DIR} (DJL's own);
 *   <li>{@code ~/.resbench/cache/djl}.
 * </ol>
 * The PyTorch CPU natives (432 MB unpacked) are extracted there once from the {@code pytorch-native-cpu} jar
 * on the class path and reused by every later JVM.
 *
 * <p>Unless the user has decided otherwise ({@code DJL_OFFLINE} or {@code ai.djl.offline}), DJL runs offline,
 * so a native library missing from the class path fails at once with a clear message instead of a download
 * attempt; and DJL's usage report ({@code OPT_OUT_TRACKING}) is switched off unless set.
 */
public final class DjlNatives {
  /** System property naming the native cache folder. */
  public static final String CACHE_PROPERTY = "resbench.djl.cache";
  /** Environment variable naming the native cache folder. */
  public static final String CACHE_ENV = "RESBENCH_DJL_CACHE";
  /** The PyTorch engine's name in DJL. */
  static final String PYTORCH = "PyTorch";
  /** The OnnxRuntime engine's name in DJL. */
  static final String ONNXRUNTIME = "OnnxRuntime";

  private static Path configuredCache;
  private static Outcome pytorch;
  private static Outcome onnxRuntime;

  private DjlNatives() {}

  /** The result of loading one engine: the engine, or why it could not be loaded. */
  record Outcome(Engine engine, String failure, Throwable cause) {
    boolean ok() {
      return engine != null;
    }
  }

  /** The native cache folder DJL uses in this JVM (resolved as the class comment says). */
  public static synchronized Path cacheDir() {
    configure();
    return configuredCache;
  }

  /** Whether DJL runs offline in this JVM. */
  public static synchronized boolean offline() {
    configure();
    return ai.djl.util.Utils.isOfflineMode();
  }

  /** Sets DJL's properties once, before any engine loads. */
  private static void configure() {
    if (configuredCache != null) {
      return;
    }
    String env = System.getenv("ENGINE_CACHE_DIR");
    String chosen;
    if (notBlank(env)) {
      chosen = env;
    } else if (notBlank(System.getProperty(CACHE_PROPERTY))) {
      chosen = System.getProperty(CACHE_PROPERTY);
    } else if (notBlank(System.getenv(CACHE_ENV))) {
      chosen = System.getenv(CACHE_ENV);
    } else if (notBlank(System.getProperty("ENGINE_CACHE_DIR"))) {
      chosen = System.getProperty("ENGINE_CACHE_DIR");
    } else {
      chosen = UserDirs.resbenchHome().resolve("cache").resolve("djl").toString();
    }
    Path dir = Paths.get(chosen).toAbsolutePath().normalize();
    System.setProperty("ENGINE_CACHE_DIR", dir.toString());
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    configuredCache = dir;
  }

  /** The PyTorch engine, loaded on first use; the outcome (success or failure) is cached. */
  static synchronized Outcome pytorch() {
    if (pytorch == null) {
      pytorch = load(PYTORCH, "the PyTorch native library could not be loaded");
    }
    return pytorch;
  }

  /** DJL's OnnxRuntime engine, loaded on first use; the outcome is cached. */
  static synchronized Outcome onnxRuntime() {
    if (onnxRuntime == null) {
      // DJL's engine creates ONNX Runtime's process-wide environment with a global thread pool; size it as the
      // ONNX Runtime backend would (all cores for intra-op work, one inter-op thread) unless the user has.
      if (System.getProperty("ai.djl.onnxruntime.num_threads") == null) {
        System.setProperty("ai.djl.onnxruntime.num_threads", Integer.toString(cores()));
      }
      if (System.getProperty("ai.djl.onnxruntime.num_interop_threads") == null) {
        System.setProperty("ai.djl.onnxruntime.num_interop_threads", "1");
      }
      Outcome o = load(ONNXRUNTIME, "DJL's OnnxRuntime engine could not be loaded");
      if (!o.ok() && causeChain(o.cause()).contains("but one already exists")) {
        o = new Outcome(null, "ONNX Runtime's environment was already created in this process (by ort-cpu or"
            + " ort-cuda), and DJL's OnnxRuntime engine can only start by creating it; probe or open djl-onnxruntime"
            + " before the ONNX Runtime backends in one process (e.g. name it first in --backends), or run it in a"
            + " process of its own", o.cause());
      }
      onnxRuntime = o;
    }
    return onnxRuntime;
  }

  /** The cores this JVM may use. */
  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static Outcome load(String name, String what) {
    configure();
    // DJL's OnnxRuntime engine loads the PyTorch engine too (as its "alternative engine" for operations ONNX
    // Runtime lacks), so the PyTorch natives are checked before either engine starts.
    String pytorchDamage = pytorchCacheDamage();
    if (pytorchDamage != null) {
      if (PYTORCH.equals(name)) {
        return new Outcome(null, "the PyTorch native libraries cannot be used: " + pytorchDamage, null);
      }
      System.setProperty("ai.djl.onnx.disable_alternative", "true"); // never map the damaged libraries
    }
    try {
      return new Outcome(Engine.getEngine(name), null, null);
    } catch (RuntimeException | LinkageError | AssertionError e) {
      String cause = causeChain(e);
      while (cause.endsWith(".")) {
        cause = cause.substring(0, cause.length() - 1);
      }
      StringBuilder sb = new StringBuilder(what).append(" (").append(cause).append(")");
      if (PYTORCH.equals(name)) {
        sb.append(". resbench takes the PyTorch natives from Maven only: ai.djl.pytorch:pytorch-native-cpu:2.7.1"
            + " (classifier linux-x86_64) must be on the class path; they are unpacked into ").append(configuredCache)
            .append(" (set ").append(CACHE_PROPERTY).append(" or ").append(CACHE_ENV).append(" to move it)");
        if (ai.djl.util.Utils.isOfflineMode()) {
          sb.append("; DJL runs offline (ai.djl.offline=true), so it does not download missing natives");
        }
      }
      return new Outcome(null, sb.toString(), e);
    }
  }

  private static boolean pytorchCacheChecked;
  private static String pytorchCacheDamage;

  /** Why the PyTorch natives cannot be used (the cache is damaged beyond repair), or null; checked once. */
  private static synchronized String pytorchCacheDamage() {
    if (!pytorchCacheChecked) {
      pytorchCacheChecked = true;
      try {
        preparePyTorchCache();
      } catch (IllegalStateException e) {
        pytorchCacheDamage = e.getMessage();
      }
    }
    return pytorchCacheDamage;
  }

  /**
   * Extracts (once) and verifies the PyTorch natives of the class path in the cache before DJL maps them: a
   * truncated or garbage library there would crash the JVM or fail with "invalid ELF header". Left to DJL: the
   * user's own natives ({@code PYTORCH_LIBRARY_PATH}, {@code PYTORCH_VERSION}) and downloaded ones (no natives jar
   * on the class path), whose leftover temporary folders are still removed.
   *
   * @throws IllegalStateException naming the folder to delete when the cache is damaged beyond repair
   */
  static NativeCache.Outcome preparePyTorchCache() {
    Path root = configuredCache.resolve("pytorch");
    if (notBlank(System.getenv("PYTORCH_LIBRARY_PATH")) || notBlank(System.getenv("PYTORCH_VERSION"))
        || notBlank(System.getProperty("PYTORCH_VERSION"))) {
      return null;
    }
    Platform platform;
    try {
      platform = Platform.detectPlatform("pytorch");
    } catch (RuntimeException | AssertionError e) {
      return null; // no natives jar: DJL reports what is missing
    }
    String[] names = platform.getLibraries();
    List<String> files = names == null ? List.of() : List.of(names);
    String flavor = platform.getFlavor();
    if (!flavor.endsWith("-precxx11") && files.contains("libstdc++.so.6")) {
      flavor += "-precxx11"; // as DJL's LibUtils names the folder for old builds
    }
    String dirName = platform.getVersion() + '-' + flavor + '-' + platform.getClassifier();
    if (platform.isPlaceholder() || files.isEmpty()) {
      // No natives jar: DJL would download (or, offline, report what is missing); clean what a killed download left.
      NativeCache.removeLeftovers(root, root.resolve(dirName));
      return null;
    }
    List<NativeCache.Library> libs = new ArrayList<>();
    for (String f : files) {
      URL url = resource("/pytorch/" + platform.getFlavor() + "/" + platform.getClassifier() + "/" + f,
          "/native/lib/" + f);
      if (url == null) {
        return null; // an unexpected jar layout: DJL extracts it itself
      }
      libs.add(library(f, url));
    }
    String jni = System.mapLibraryName("djl_torch");
    URL jniUrl = resource("/jnilib/" + platform.getClassifier() + "/" + flavor + "/" + jni);
    if (jniUrl != null) {
      libs.add(library(platform.getApiVersion() + '-' + jni, jniUrl));
    }
    NativeCache.Outcome o = NativeCache.prepare(root, dirName, libs);
    if (!o.action().equals("verified")) {
      System.err.println("resbench: " + (o.action().equals("repaired") ? "re-extracted the damaged PyTorch natives ("
          + o.detail() + ") into " + root.resolve(dirName) : "extracted the PyTorch natives (432 MB, once) into "
          + root.resolve(dirName)));
    }
    return o;
  }

  private static URL resource(String... candidates) {
    for (String c : candidates) {
      URL u = DjlNatives.class.getResource(c);
      if (u != null) {
        return u;
      }
    }
    return null;
  }

  private static NativeCache.Library library(String name, URL url) {
    long size = -1;
    try {
      URLConnection c = url.openConnection();
      c.setUseCaches(false);
      size = c.getContentLengthLong();
      if (c instanceof JarURLConnection j) {
        size = j.getJarEntry().getSize();
      }
    } catch (IOException e) {
      // unknown size: the checksum recorded at extraction still guards the file
    }
    return new NativeCache.Library(name, size, () -> {
      URLConnection c = url.openConnection();
      c.setUseCaches(false);
      return c.getInputStream();
    });
  }

  /** Messages of a throwable and its causes, joined, without repeats. */
  static String causeChain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    String last = null;
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
      if (!m.equals(last)) {
        if (sb.length() > 0) {
          sb.append(": ");
        }
        sb.append(m);
        last = m;
      }
      if (sb.length() > 600) {
        break;
      }
    }
    String s = sb.toString().replace('\n', ' ');
    return s.isEmpty() ? t.toString() : s;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
