package org.resbench.backend.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.EngineLog;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.ModelExporter;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionChecks;
import org.resbench.harness.backend.SessionGuard;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.io.AtomicFiles;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * A {@link Session} on DJL's OnnxRuntime engine: the spec is exported to ONNX (forward graph with the block
 * gates as an input; BatchNorm with running statistics, and on the first training-mode forward pass a second
 * export with batch statistics) and loaded as a DJL {@link Model}; forward passes go through the model's block.
 * Inference only: gradients and training throw {@link BackendException} saying which backends can. Owns the
 * DJL models (and with them the ONNX Runtime sessions) until {@link #close()} (idempotent). Not thread-safe.
 *
 * <p>The export gives the gates input a default value; ONNX Runtime then lists it as an overridable
 * initializer, which DJL's block cannot feed, so the default is removed before loading ({@link
 * OnnxInitializers}) and every forward pass feeds the gates.
 */
final class DjlOrtSession implements Session {
  static final String INPUT = "input";
  static final String GATES = "gates";

  private final String backend;
  private final ModelSpec spec;
  private final SessionOptions options;
  private final ModelExporter exporter;
  /** The loaded models by BatchNorm mode; the TRAIN one is exported on first use. */
  private final java.util.EnumMap<BnMode, Loaded> models = new java.util.EnumMap<>(BnMode.class);
  private final SessionGuard guard;
  private ModelState state;

  DjlOrtSession(String backend, ModelSpec spec, ModelState state, SessionOptions options, ModelExporter exporter) {
    this.backend = backend;
    this.spec = spec;
    this.options = options;
    this.exporter = exporter;
    this.guard = new SessionGuard(backend, spec);
    this.state = state.copy();
    models.put(BnMode.INFERENCE, load(this.state, BnMode.INFERENCE));
  }

  /** A DJL model and whether it takes the gates as an input. */
  private record Loaded(Model model, boolean feedsGates) {}

  private Loaded model(BnMode mode) {
    Loaded m = models.get(mode);
    if (m == null) {
      m = load(state, mode);
      models.put(mode, m);
    }
    return m;
  }

  /** Exports {@code s}, makes the gates a required input, and loads the file into a new DJL model. */
  private Loaded load(ModelState s, BnMode mode) {
    Path dir = null;
    Model m = null;
    OrtSession.SessionOptions sessionOptions = null;
    try {
      dir = Files.createTempDirectory("resbench-djl-ort");
      Path file = dir.resolve("model.onnx");
      exporter.export(spec, s, mode, file, Map.of("resbench.spec.name", spec.name(), "resbench.backend", backend));
      OnnxInitializers.Stripped stripped = OnnxInitializers.remove(Files.readAllBytes(file), GATES);
      AtomicFiles.write(file, stripped.model());
      m = Model.newInstance(spec.name(), ai.djl.Device.cpu(), DjlNatives.ONNXRUNTIME);
      Map<String, Object> ortOptions = new HashMap<>();
      // Quiet by default: only the session's log level applies here, since DJL created the environment at WARNING.
      sessionOptions = new OrtSession.SessionOptions();
      sessionOptions.setSessionLogLevel(ortLogLevel());
      ortOptions.put("sessionOptions", sessionOptions);
      if (options.threads() == 0 || options.threads() == DjlNatives.cores()) {
        // The environment's global pool (DjlNatives sizes it to all cores): sessions do not compete.
        ortOptions.put("disablePerSessionThreads", "true");
      } else {
        ortOptions.put("intraOpNumThreads", Integer.toString(options.threads()));
        ortOptions.put("interOpNumThreads", "1");
      }
      m.load(dir, "model", ortOptions);
      // Without a gates input (an exporter that bakes them in) only the inference gates can run.
      return new Loaded(m, m.getBlock().describeInput().keys().contains(GATES));
    } catch (UnsupportedOperationException e) {
      if (m != null) {
        m.close();
      }
      throw new BackendException(backend, "the ONNX exporter on the class path cannot write a model with BatchNorm"
          + " in " + mode + " mode (" + e.getMessage() + "); use djl-pytorch-cpu or ort-cpu", e);
    } catch (IOException | MalformedModelException | OrtException | RuntimeException e) {
      if (m != null) {
        m.close();
      }
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new BackendException(backend, "could not export and load '" + spec.name() + "' in DJL's OnnxRuntime"
          + " engine: " + DjlNatives.causeChain(e), e);
    } finally {
      if (sessionOptions != null) {
        sessionOptions.close(); // the session has its own copy; DJL closes only the options it created
      }
      deleteQuietly(dir);
    }
  }

  /** ONNX Runtime's level for {@link EngineLog#current()} (errors only unless asked for more). */
  static OrtLoggingLevel ortLogLevel() {
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

  @Override
  public ModelSpec spec() {
    guard.requireOpen();
    return spec;
  }

  @Override
  public String backendName() {
    guard.requireOpen();
    return backend;
  }

  @Override
  public HostTensor forward(HostTensor input, BnMode bnMode, BlockGates gates) {
    guard.requireOpen();
    SessionChecks.requireForward(spec, input, bnMode, gates);
    float[] g = gates.values();
    Loaded m = model(bnMode);
    try (NDManager step = m.model().getNDManager().newSubManager()) {
      NDList out = run(m, step, step.create(input.data(), new Shape(input.longShape())), g);
      return HostTensor.of(out.head().toFloatArray(), input.dim(0), spec.outputs());
    } catch (IllegalArgumentException | IllegalStateException | BackendException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackendException(backend, "forward of '" + spec.name() + "' failed in ONNX Runtime: "
          + DjlNatives.causeChain(e), e);
    }
  }

  /** One pass of the model's block on {@code x} (named inputs), in {@code step}. */
  private NDList run(Loaded m, NDManager step, NDArray x, float[] gates) {
    x.setName(INPUT);
    NDList in = new NDList(x);
    if (m.feedsGates()) {
      NDArray g = step.create(gates, new Shape(gates.length));
      g.setName(GATES);
      in.add(g);
    } else if (!Arrays.equals(gates, BlockGates.inference(spec).values())) {
      throw new BackendException(backend, "the exported model has no gates input, so only the inference gates "
          + Arrays.toString(BlockGates.inference(spec).values()) + " can run; use djl-pytorch-cpu or ort-cpu");
    }
    Block block = m.model().getBlock();
    return block.forward(new ParameterStore(step, false), in, false);
  }

  @Override
  public GradientResult gradients(GradientRequest request) {
    guard.requireOpen();
    throw new BackendException(backend, "cannot take gradients: DJL's OnnxRuntime engine runs inference only (no"
        + " autograd); djl-pytorch-cpu, ort-cpu and reference can");
  }

  @Override
  public StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double learningRate) {
    guard.requireOpen();
    throw new BackendException(backend, "cannot train: DJL's OnnxRuntime engine runs inference only (no trainer);"
        + " djl-pytorch-cpu, ort-cpu and reference can");
  }

  @Override
  public Map<String, HostTensor> activations(HostTensor input, BnMode bnMode, BlockGates gates,
      List<String> probePoints) {
    guard.requireOpen();
    return Session.super.activations(input, bnMode, gates, probePoints);
  }

  @Override
  public ModelState readState() {
    guard.requireOpen();
    return state.copy();
  }

  @Override
  public void loadState(ModelState newState) {
    guard.requireOpen();
    SessionChecks.requireStateFor(spec, newState);
    ModelState copy = newState.copy();
    Loaded next = load(copy, BnMode.INFERENCE);
    closeModels();
    models.put(BnMode.INFERENCE, next);
    state = copy;
  }

  private void closeModels() {
    models.values().forEach(m -> m.model().close());
    models.clear();
  }

  /** A bare loop over this session's model: input and gates prepared once, owned by the returned object. */
  BareInference bare(HostTensor input) {
    guard.requireOpen();
    SessionChecks.requireInput(spec, input);
    Loaded m = model(BnMode.INFERENCE);
    NDManager prepared = m.model().getNDManager().newSubManager();
    NDArray x = prepared.create(input.data(), new Shape(input.longShape()));
    x.setName(INPUT);
    NDList in = new NDList(x);
    if (m.feedsGates()) {
      float[] ones = BlockGates.ones(spec).values();
      NDArray g = prepared.create(ones, new Shape(ones.length));
      g.setName(GATES);
      in.add(g);
    }
    Block block = m.model().getBlock();
    return new BareInference() {
      private boolean done;

      @Override
      public double runOnce() {
        if (done) {
          throw new IllegalStateException(backend + " bare inference is closed");
        }
        try (NDManager step = prepared.newSubManager()) {
          NDList out = block.forward(new ParameterStore(step, false), in, false);
          out.attach(step);
          return out.head().getFloat(0, 0);
        } catch (RuntimeException e) {
          throw new BackendException(backend, "bare inference failed in ONNX Runtime: " + DjlNatives.causeChain(e), e);
        }
      }

      @Override
      public void close() {
        if (!done) {
          done = true;
          prepared.close();
          DjlOrtSession.this.close();
        }
      }
    };
  }

  @Override
  public void close() {
    if (!guard.close()) {
      return;
    }
    closeModels();
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary folder is harmless
    }
  }
}
