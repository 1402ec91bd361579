package org.resbench.backend.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.resbench.backend.ort.onnx.GraphBuilder;
import org.resbench.backend.ort.onnx.OnnxOp;
import org.resbench.harness.backend.EngineLog;

/**
 * The process-wide ONNX Runtime environment as resbench uses it: created on first use (never by a static
 * initialiser) with one global intra-op thread pool of {@link #cores()} threads that every session shares
 * (measured on two cores: sessions with their own spinning thread pools slowed each other down about 1.8 times).
 * When another component (DJL's OnnxRuntime engine) created the environment first, that environment is used as it
 * is and sessions get their own pools instead. Also knows the block size of ONNX Runtime's channel-blocked (NCHWc) CPU
 * kernels here
 * ({@link #nchwcBlock()}). Thread-safe; the environment lives until the JVM exits (ONNX Runtime closes it in a
 * shutdown hook).
 */
final class OrtRuntime {
  /** System property: {@code false} keeps training and gradient graphs in plain NCHW (no NCHWc operators). */
  static final String NCHWC_PROPERTY = "resbench.ort.nchwc";

  private static OrtRuntime instance;

  final OrtEnvironment env;
  /** Whether the environment has resbench's global thread pool (false when someone else created it). */
  final boolean globalPool;

  /** The probed NCHWc block size (0: none); null until first asked. Guarded by this. */
  private Integer nchwcBlock;

  private OrtRuntime(OrtEnvironment env, boolean globalPool) {
    this.env = env;
    this.globalPool = globalPool;
  }

  /**
   * The block size of ONNX Runtime's channel-blocked CPU kernels on this machine (16 with AVX-512, 8 with AVX2),
   * found on first use by running its {@code ReorderInput} operator on a 4-channel tensor and reading how many
   * channels the blocked result has; 0 when that operator is missing (ONNX Runtime registers the NCHWc kernels only
   * where its MLAS library has them), fails, or {@value #NCHWC_PROPERTY} is {@code false}.
   */
  synchronized int nchwcBlock() {
    if (nchwcBlock == null) {
      nchwcBlock = "false".equalsIgnoreCase(System.getProperty(NCHWC_PROPERTY)) ? 0 : probeNchwcBlock();
    }
    return nchwcBlock;
  }

  private int probeNchwcBlock() {
    GraphBuilder g = new GraphBuilder("nchwc-probe");
    g.input("x", GraphBuilder.ElemType.FLOAT, 1, 4, 1, 1);
    String shape = g.node(OnnxOp.SHAPE).in(g.node(OnnxOp.NCHWC_REORDER_INPUT).in("x").out()).out();
    g.output("shape", shape, GraphBuilder.ElemType.INT64, 4);
    byte[] model = g.build("probe", Map.of(), "").toByteArray();
    try (OrtSession.SessionOptions o = options(0, false);
        OrtSession s = env.createSession(model, o);
        OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[4]), new long[] {1, 4, 1, 1});
        OrtSession.Result r = s.run(Map.of("x", x))) {
      long block = ((long[]) r.get(0).getValue())[1];
      return block >= 4 && block <= 64 && block % 4 == 0 ? (int) block : 0;
    } catch (OrtException | RuntimeException e) {
      return 0; // no NCHWc kernels in this build or on this CPU: graphs stay plain NCHW
    }
  }

  /**
   * The environment, created on the first call. Throws whatever loading the native library throws
   * ({@link UnsatisfiedLinkError}, {@link IllegalStateException}); backends turn that into their probe result.
   */
  /**
   * {@code -Dresbench.ort.spin=false}: the global thread pool's idle threads do not spin-wait for work (ONNX Runtime's
   * default is to spin briefly after each run, which lowers latency but takes CPU from whatever runs next).
   */
  static final String SPIN_PROPERTY = "resbench.ort.spin";

  static synchronized OrtRuntime get() {
    if (instance == null) {
      OrtEnvironment env;
      boolean global;
      try (OrtEnvironment.ThreadingOptions threads = new OrtEnvironment.ThreadingOptions()) {
        threads.setGlobalIntraOpNumThreads(cores());
        threads.setGlobalInterOpNumThreads(1);
        if ("false".equalsIgnoreCase(System.getProperty(SPIN_PROPERTY, "true"))) {
          // Idle pool threads sleep at once instead of spinning: for measuring another engine in the same process.
          threads.setGlobalSpinControl(false);
        }
        env = OrtEnvironment.getEnvironment(logLevel(), "resbench", threads);
        global = true;
      } catch (IllegalStateException e) {
        if (e.getCause() != null) {
          throw e; // the environment could not be created at all
        }
        // It exists already (created by another library in this JVM): share it, without a global pool.
        env = OrtEnvironment.getEnvironment();
        global = false;
      } catch (OrtException e) {
        throw new IllegalStateException("cannot configure ONNX Runtime's thread pool: " + e.getMessage(), e);
      }
      instance = new OrtRuntime(env, global);
    }
    return instance;
  }

  /**
   * ONNX Runtime's logging level for {@link EngineLog#current()}: errors only unless the user asks for more
   * ({@code --verbose}, {@value EngineLog#ENV}). Set on the environment and on every session, because when another
   * library created the environment (DJL's OnnxRuntime engine logs warnings) the session's level is what applies.
   */
  static OrtLoggingLevel logLevel() {
    switch (EngineLog.current()) {
      case WARNING:
        return OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING;
      case INFO:
        return OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO;
      case VERBOSE:
        return OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE;
      default:
        return OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
    }
  }

  /** The number of cores the JVM may use: the default thread count. */
  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Options for one ONNX Runtime session: all graph optimisations (ORT_ENABLE_ALL fuses MatMul with Transpose
   * and uses blocked convolutions for constant weights), sequential execution, and the global thread pool when
   * {@code threads} is 0 or equal to its size, else a private pool of {@code threads} threads. The caller owns
   * (closes) the result.
   */
  OrtSession.SessionOptions options(int threads, boolean cuda) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    try {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      o.setSessionLogLevel(logLevel());
      if (globalPool && (threads == 0 || threads == cores())) {
        o.disablePerSessionThreads();
      } else {
        o.setIntraOpNumThreads(threads == 0 ? cores() : threads);
        o.setInterOpNumThreads(1);
      }
      if (cuda) {
        o.addCUDA(0);
      }
      return o;
    } catch (OrtException | RuntimeException e) {
      o.close();
      throw e;
    }
  }

  /** A session over a serialised model. The caller owns (closes) it. */
  OrtSession createSession(byte[] model, int threads, boolean cuda) throws OrtException {
    try (OrtSession.SessionOptions o = options(threads, cuda)) {
      return env.createSession(model, o);
    }
  }
}
