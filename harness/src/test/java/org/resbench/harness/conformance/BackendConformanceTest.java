package org.resbench.harness.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionChecks;
import org.resbench.harness.backend.SessionGuard;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.data.Batch;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * The conformance suite every backend runs: small nets of every family, each {@link Scenario} compared with
 * the float64 {@code reference} backend within {@link Tolerances}, plus the SPI's behavioural contract
 * (state round trip, argument checks, close). A backend module adopts it with a few lines in its tests
 * (the harness test-jar as a test dependency):
 * <pre>
 * class OrtCpuConformanceTest extends BackendConformanceTest {
 *   protected Backend backend() { return new OrtCpuBackend(); }
 * }
 * </pre>
 * If the backend's probe says it is unavailable, every test is skipped with the probe's reason; a scenario that
 * needs a capability the backend does not declare is skipped with a message naming it. On failure a test
 * prints the scenario, spec, every quantity compared, the failing tensors with their worst element, worst
 * absolute and relative errors and positions, and the tolerance.
 *
 * <p>One instance per class (the probe runs once). Takes about half a minute on two cores for a fast
 * engine; most of it is the reference.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceTest {

  /** Small nets of every family: option A and B, plain, stochastic depth, bottleneck, ResNeXt, MLPs. */
  public static final List<String> DEFAULT_SPECS = List.of(
      "resnet-8-in3x8x8", "resnet-8-b-in3x8x8", "plain-8-in3x8x8", "resnet-8-sd-in3x8x8",
      "resnet-11-bottleneck-in3x8x8", "resnext-11-2x4d-in3x8x8", "mlp-3x8-res-bn", "mlp-3x8-ff-post-bias",
      "mlp-2x6-res-bn-in4-out3");

  private Backend backend;
  private Capabilities caps;
  private ConformanceRunner runner;
  private final Map<String, ModelSpec> specs = new ConcurrentHashMap<>();

  /** The backend under test; called once per test class. */
  protected abstract Backend backend();

  /** The options sessions are opened with (threads and engine settings); the SGD settings are the suite's. */
  protected SessionOptions options() {
    return SessionOptions.DEFAULT;
  }

  /** {@link #options()} with the SGD settings a scenario needs; override if SessionOptions gains fields you set. */
  protected SessionOptions options(SgdConfig sgd) {
    return new SessionOptions(options().threads(), sgd);
  }

  /** The nets to run; defaults to {@link #DEFAULT_SPECS}. */
  protected List<String> specNames() {
    return DEFAULT_SPECS;
  }

  /** Whether the backend must be listed in {@code META-INF/services} (false only for test doubles). */
  protected boolean registeredForServiceLoader() {
    return true;
  }

  /** Batch size, steps, seed and SGD of the comparisons. */
  protected ConformanceRunner.Settings settings() {
    return ConformanceRunner.Settings.DEFAULT;
  }

  @BeforeAll
  final void probeBackend() {
    backend = backend();
    caps = backend.probe();
    runner = new ConformanceRunner(backend, this::options, settings());
  }

  /**
   * Skips the calling test, with the probe's reason, when the backend is unavailable here. Each test skips
   * on its own (rather than the whole class in {@code @BeforeAll}) so that reports show every skip with its
   * reason.
   */
  protected final void requireAvailable() {
    assumeTrue(caps.available(), () -> "backend '" + backend.name() + "' is unavailable here, so its conformance"
        + " tests are skipped: " + caps.unavailableReason());
  }

  /** Runs one scenario and asserts that it matched the reference; skips (with the reason) where it cannot run. */
  protected final void check(Scenario scenario, String specName) {
    ScenarioResult r = runner.run(scenario, spec(specName));
    assumeTrue(!r.skipped(), r::skipReason);
    assertTrue(r.passed(), r::describe);
  }

  final Stream<String> allSpecs() {
    return specNames().stream();
  }

  final Stream<String> classifierSpecs() {
    return specNames().stream().filter(n -> spec(n).outputs() > 1);
  }

  private ModelSpec spec(String name) {
    return specs.computeIfAbsent(name, SpecNames::build);
  }

  // ---- comparisons with the reference ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSpecs")
  void activationsAtEveryProbePointMatchReference(String spec) {
    check(Scenario.ACTIVATIONS, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSpecs")
  void forwardInBnInferenceModeMatchesReference(String spec) {
    check(Scenario.FORWARD_INFERENCE, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSpecs")
  void forwardInBnTrainModeMatchesReferenceAndKeepsRunningStatistics(String spec) {
    check(Scenario.FORWARD_TRAIN, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classifierSpecs")
  void crossEntropyGradientsMatchReference(String spec) {
    check(Scenario.GRADIENTS_CROSS_ENTROPY, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSpecs")
  void gradientsInBnInferenceModeMatchReference(String spec) {
    check(Scenario.GRADIENTS_BN_INFERENCE, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSpecs")
  void outputCotangentGradientsMatchReference(String spec) {
    check(Scenario.GRADIENTS_OUTPUT_COTANGENT, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSpecs")
  void pathMaskedGradientsMatchReference(String spec) {
    check(Scenario.GRADIENTS_PATH_MASKED, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSpecs")
  void lesionedBlockMatchesReference(String spec) {
    check(Scenario.GATES_LESION, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSpecs")
  void fractionalGateMatchesReference(String spec) {
    check(Scenario.GATES_FRACTIONAL, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classifierSpecs")
  void oneTrainingStepMatchesReference(String spec) {
    check(Scenario.TRAIN_STEP, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classifierSpecs")
  void zeroGateStepLeavesBranchStatisticsAndMatchesReference(String spec) {
    check(Scenario.TRAIN_STEP_ZERO_GATE, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classifierSpecs")
  void kTrainingStepsMatchReference(String spec) {
    check(Scenario.TRAIN_K_STEPS, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classifierSpecs")
  void kNesterovStepsMatchReference(String spec) {
    check(Scenario.TRAIN_K_STEPS_NESTEROV, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classifierSpecs")
  void loadStateResetsMomentum(String spec) {
    check(Scenario.TRAIN_AFTER_LOAD_STATE, spec);
  }

  /**
   * A training state read after two steps and loaded into a fresh session (opened with other weights) continues
   * exactly as the first session does: the same loss and the same state after a third step, bit for bit. This is
   * what makes a resumed training run end with the same weights as an uninterrupted one.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("classifierSpecs")
  void aTrainingStateContinuesTrainingBitForBit(String specName) {
    requireAvailable();
    assumeTrue(caps.can(Capability.TRAINING), () -> backend.name() + " does not declare 'training'");
    ModelSpec spec = spec(specName);
    long seed = settings().seed();
    java.util.SplittableRandom gateRng = new java.util.SplittableRandom(seed);
    Batch[] batches = new Batch[3];
    BlockGates[] gates = new BlockGates[3];
    for (int i = 0; i < 3; i++) {
      batches[i] = ConformanceFixtures.batch(spec, settings().batchSize(), seed + i, 0);
      gates[i] = BlockGates.sample(spec, gateRng);
    }
    SessionOptions opts = options(settings().sgd());
    try (Session a = backend.open(spec, ConformanceFixtures.state(spec, seed), opts)) {
      a.trainStep(batches[0].input(), batches[0].labels(), gates[0], 0.05);
      a.trainStep(batches[1].input(), batches[1].labels(), gates[1], 0.04);
      org.resbench.harness.backend.TrainingState mid = a.readTrainingState();
      assertTrue(mid.momentum().values().stream().anyMatch(m -> Arrays.stream(m).anyMatch(v -> v != 0)),
          "after two steps with momentum some buffer is non-zero (else the test proves nothing)");
      try (Session b = backend.open(spec, ConformanceFixtures.state(spec, seed + 99), opts)) {
        b.loadTrainingState(mid);
        assertTrainingStatesEqual(mid, b.readTrainingState(), "readTrainingState after loadTrainingState");
        double la = a.trainStep(batches[2].input(), batches[2].labels(), gates[2], 0.03).loss();
        double lb = b.trainStep(batches[2].input(), batches[2].labels(), gates[2], 0.03).loss();
        assertEquals(la, lb, 0.0, "the next step's loss, bit for bit");
        assertTrainingStatesEqual(a.readTrainingState(), b.readTrainingState(), "state after the next step");
      }
    }
  }

  private static void assertTrainingStatesEqual(org.resbench.harness.backend.TrainingState expected,
      org.resbench.harness.backend.TrainingState actual, String what) {
    assertEquals(expected.precision(), actual.precision(), what + ": precision");
    expected.values().forEach((k, v) -> assertArrayEquals(v, actual.values().get(k), 0.0, what + ": " + k));
    expected.momentum().forEach((k, v) -> assertArrayEquals(v, actual.momentum().get(k), 0.0,
        what + ": momentum of " + k));
  }

  // ---- the behavioural contract of the SPI ----

  private ModelSpec contractSpec() {
    return spec(classifierSpecs().findFirst().orElse(specNames().get(0)));
  }

  private Session openContractSession() {
    ModelSpec spec = contractSpec();
    return backend.open(spec, ConformanceFixtures.state(spec, settings().seed()), options(settings().sgd()));
  }

  @Test
  void probeDescribesTheBackend() {
    requireAvailable();
    assertTrue(backend.name().matches("[a-z0-9][a-z0-9-]*"), "name '" + backend.name() + "': lower case, digits, '-'");
    assertFalse(backend.description().isBlank(), "description");
    assertEquals(backend.device(), caps.device(), "probe().device() equals device()");
    assertFalse(caps.engine() == null || caps.engine().isBlank(), "probe().engine()");
    assertTrue(caps.can(Capability.INFERENCE) || caps.can(Capability.TRAINING),
        "an available backend can at least run inference or training");
  }

  @Test
  void backendIsRegisteredForServiceLoader() {
    requireAvailable();
    assumeTrue(registeredForServiceLoader(), "a test double, not registered");
    Backend found = assertDoesNotThrow(() -> Backends.discover().get(backend.name()),
        "META-INF/services/org.resbench.harness.backend.Backend lists the provider");
    assertEquals(backend.getClass(), found.getClass());
  }

  @Test
  void stateRoundTripsExactlyAndReadStateIsACopy() {
    requireAvailable();
    ModelSpec spec = contractSpec();
    ModelState state = ConformanceFixtures.state(spec, settings().seed());
    try (Session s = backend.open(spec, state.copy(), options(settings().sgd()))) {
      assertEquals(spec, s.spec());
      assertEquals(backend.name(), s.backendName());
      ModelState read = s.readState();
      assertBitEqual(state, read, "readState after open");
      read.tensors().values().forEach(t -> Arrays.fill(t.data(), 7f));
      assertBitEqual(state, s.readState(), "readState after changing an earlier readState's arrays");
      ModelState other = ConformanceFixtures.state(spec, settings().seed() + 1);
      s.loadState(other.copy());
      assertBitEqual(other, s.readState(), "readState after loadState");
    }
  }

  @Test
  void callsDoNotChangeTheirInputs() {
    requireAvailable();
    ModelSpec spec = contractSpec();
    Batch b = ConformanceFixtures.batch(spec, settings().batchSize(), settings().seed(), 0);
    float[] x = b.input().data().clone();
    int[] labels = b.labels().clone();
    try (Session s = openContractSession()) {
      s.forward(b.input(), BnMode.TRAIN, BlockGates.ones(spec));
      if (caps.can(Capability.INPUT_GRADIENTS)) {
        s.gradients(GradientRequest.builder(b.input(), Objective.crossEntropy(b.labels())).build());
      }
      if (caps.can(Capability.TRAINING)) {
        s.trainStep(b.input(), b.labels(), BlockGates.ones(spec), 0.1);
      }
    }
    assertArrayEquals(x, b.input().data(), "input array unchanged");
    assertArrayEquals(labels, b.labels(), "labels unchanged");
  }

  @Test
  void badArgumentsAreRejectedWithIllegalArgumentException() {
    requireAvailable();
    ModelSpec spec = contractSpec();
    Batch b = ConformanceFixtures.batch(spec, settings().batchSize(), settings().seed(), 0);
    int[] shape = b.input().shape();
    shape[shape.length - 1] += 1;
    HostTensor wrongShape = HostTensor.zeros(shape);
    BlockGates wrongGates = BlockGates.of(new float[spec.blocks().size() + 1]);
    try (Session s = openContractSession()) {
      assertAllowedMessage(assertThrows(IllegalArgumentException.class,
          () -> s.forward(wrongShape, BnMode.TRAIN, BlockGates.ones(spec))), "input shape");
      assertAllowedMessage(assertThrows(IllegalArgumentException.class,
          () -> s.forward(b.input(), BnMode.TRAIN, wrongGates)), "gates");
      if (caps.can(Capability.INPUT_GRADIENTS) && spec.outputs() > 1) {
        int[] badLabels = b.labels().clone();
        badLabels[0] = spec.outputs();
        assertAllowedMessage(assertThrows(IllegalArgumentException.class, () -> s.gradients(
            GradientRequest.builder(b.input(), Objective.crossEntropy(badLabels)).build())), "label");
      }
      if (caps.can(Capability.TRAINING)) {
        assertAllowedMessage(assertThrows(IllegalArgumentException.class, () -> s.trainStep(b.input(),
            Arrays.copyOf(b.labels(), b.labels().length - 1), BlockGates.ones(spec), 0.1)), "labels");
        assertAllowedMessage(assertThrows(IllegalArgumentException.class, () -> s.trainStep(b.input(), b.labels(),
            BlockGates.ones(spec), Double.NaN)), "learningRate");
      }
      ModelSpec other = SpecNames.build("mlp-2x3-ff");
      assertThrows(IllegalArgumentException.class, () -> s.loadState(ConformanceFixtures.state(other, 1)),
          "loadState of another spec's state");
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsThrowIllegalState() {
    requireAvailable();
    ModelSpec spec = contractSpec();
    Batch b = ConformanceFixtures.batch(spec, settings().batchSize(), settings().seed(), 0);
    Session s = openContractSession();
    ModelState state = s.readState();
    s.close();
    assertDoesNotThrow(s::close, "a second close");
    assertThrows(IllegalStateException.class, () -> s.forward(b.input(), BnMode.INFERENCE, BlockGates.ones(spec)));
    assertThrows(IllegalStateException.class, s::readState);
    assertThrows(IllegalStateException.class, () -> s.loadState(state));
    assertThrows(IllegalStateException.class, () -> s.gradients(GradientRequest.builder(b.input(),
        Objective.sumOfOutputs(b.size(), spec.outputs())).build()));
    assertThrows(IllegalStateException.class, () -> s.trainStep(b.input(), b.labels(), BlockGates.ones(spec), 0.1));
  }

  /**
   * Every method but {@code close} throws {@link IllegalStateException} after close, whatever the backend can do
   * (a call it cannot make, or with bad arguments, still says "closed" first), with the one message of
   * {@link SessionGuard#closedMessage}.
   */
  @Test
  void everyMethodAfterCloseThrowsTheSameIllegalState() {
    requireAvailable();
    ModelSpec spec = contractSpec();
    Batch b = ConformanceFixtures.batch(spec, settings().batchSize(), settings().seed(), 0);
    BlockGates ones = BlockGates.ones(spec);
    Session s = openContractSession();
    ModelState state = s.readState();
    s.close();
    String expected = SessionGuard.closedMessage(backend.name(), spec);
    Map<String, Executable> calls = new LinkedHashMap<>();
    calls.put("spec", s::spec);
    calls.put("backendName", s::backendName);
    calls.put("forward", () -> s.forward(b.input(), BnMode.INFERENCE, ones));
    calls.put("forward with null gates", () -> s.forward(b.input(), BnMode.TRAIN, null));
    calls.put("activations", () -> s.activations(b.input(), BnMode.INFERENCE, ones, List.of(firstProbe(spec))));
    calls.put("gradients", () -> s.gradients(GradientRequest.builder(b.input(),
        Objective.sumOfOutputs(b.size(), spec.outputs())).build()));
    calls.put("trainStep", () -> s.trainStep(b.input(), b.labels(), ones, 0.1));
    calls.put("readState", s::readState);
    calls.put("loadState", () -> s.loadState(state));
    if (caps.can(Capability.TRAINING)) {
      calls.put("readTrainingState", s::readTrainingState);
      calls.put("loadTrainingState", () -> s.loadTrainingState(org.resbench.harness.backend.TrainingState.initial(
          state, org.resbench.harness.backend.TrainingState.Precision.FLOAT32)));
    }
    calls.forEach((name, call) -> {
      IllegalStateException e = assertThrows(IllegalStateException.class, call, name + " after close");
      assertEquals(expected, e.getMessage(), name + " after close: the message of SessionGuard.closedMessage");
    });
  }

  /**
   * Null gates are rejected on every call that takes them, with {@code gates=null; allowed: ...}: not read as all
   * ones, which is not the inference network of a stochastic-depth spec. Calls the backend cannot make are skipped.
   */
  @Test
  void nullGatesAreRejectedWithIllegalArgumentException() {
    requireAvailable();
    ModelSpec spec = contractSpec();
    Batch b = ConformanceFixtures.batch(spec, settings().batchSize(), settings().seed(), 0);
    try (Session s = openContractSession()) {
      for (BnMode mode : BnMode.values()) {
        assertNullMessage(assertThrows(IllegalArgumentException.class, () -> s.forward(b.input(), mode, null),
            "forward, BN " + mode), "gates");
        if (caps.can(Capability.ACTIVATIONS)) {
          assertNullMessage(assertThrows(IllegalArgumentException.class,
              () -> s.activations(b.input(), mode, null, List.of(firstProbe(spec))), "activations, BN " + mode),
              "gates");
        }
      }
      if (caps.can(Capability.TRAINING)) {
        assertNullMessage(assertThrows(IllegalArgumentException.class,
            () -> s.trainStep(b.input(), b.labels(), null, 0.1), "trainStep"), "gates");
      }
    }
  }

  /** The other arguments that must not be null are rejected the same way on every backend. */
  @Test
  void nullArgumentsAreRejectedWithIllegalArgumentException() {
    requireAvailable();
    ModelSpec spec = contractSpec();
    Batch b = ConformanceFixtures.batch(spec, settings().batchSize(), settings().seed(), 0);
    BlockGates ones = BlockGates.ones(spec);
    try (Session s = openContractSession()) {
      assertNullMessage(assertThrows(IllegalArgumentException.class, () -> s.forward(null, BnMode.TRAIN, ones)),
          "input");
      assertNullMessage(assertThrows(IllegalArgumentException.class, () -> s.forward(b.input(), null, ones)),
          "bnMode");
      if (caps.can(Capability.ACTIVATIONS)) {
        assertNullMessage(assertThrows(IllegalArgumentException.class,
            () -> s.activations(b.input(), BnMode.TRAIN, ones, null)), "probePoints");
      }
      if (caps.can(Capability.INPUT_GRADIENTS) || caps.can(Capability.PARAMETER_GRADIENTS)) {
        assertNullMessage(assertThrows(IllegalArgumentException.class, () -> s.gradients(null)), "request");
      }
      if (caps.can(Capability.TRAINING)) {
        assertNullMessage(assertThrows(IllegalArgumentException.class,
            () -> s.trainStep(null, b.labels(), ones, 0.1)), "input");
        assertNullMessage(assertThrows(IllegalArgumentException.class,
            () -> s.trainStep(b.input(), null, ones, 0.1)), "labels");
      }
      assertNullMessage(assertThrows(IllegalArgumentException.class, () -> s.loadState(null)), "state");
    }
  }

  /**
   * A training step whose batch gives a BatchNorm layer one value per channel (undefined unbiased variance) is bad
   * input on every backend, with the same words ({@link SessionChecks#requireTrainingBatch}), not an engine failure.
   */
  @Test
  void trainingBatchWithOneValuePerChannelIsRejected() {
    requireAvailable();
    assumeTrue(caps.can(Capability.TRAINING), "backend '" + backend.name() + "' does not train");
    ModelSpec spec = specNames().stream().map(this::spec).filter(sp -> SessionChecks.minTrainingBatch(sp) == 2)
        .findFirst().orElse(null);
    assumeTrue(spec != null, "no spec of this suite has BatchNorm over one value per example");
    Batch one = ConformanceFixtures.batch(spec, 1, settings().seed(), 0);
    try (Session s = backend.open(spec, ConformanceFixtures.state(spec, settings().seed()), options(settings()
        .sgd()))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> s.trainStep(one.input(), one.labels(), BlockGates.ones(spec), 0.1));
      assertAllowedMessage(e, "a batch of 1");
      assertTrue(e.getMessage().contains("allowed: a batch of at least 2"), e.getMessage());
    }
  }

  private static String firstProbe(ModelSpec spec) {
    return spec.probePoints().get(0).name();
  }

  /** The message of a null argument: {@code field=null; allowed: ...}, from {@link SessionChecks#requireNonNull}. */
  private static void assertNullMessage(IllegalArgumentException e, String field) {
    String m = String.valueOf(e.getMessage());
    assertTrue(m.startsWith(field + "=null; allowed: "), "the message starts with '" + field + "=null; allowed: ': "
        + m);
  }

  private static void assertAllowedMessage(IllegalArgumentException e, String field) {
    String m = String.valueOf(e.getMessage());
    assertTrue(m.contains(field) && m.contains("allowed"), "the message names '" + field
        + "' and says what is allowed: " + m);
  }

  private static void assertBitEqual(ModelState expected, ModelState actual, String what) {
    assertEquals(expected.tensors().keySet(), actual.tensors().keySet(), what + ": tensor names");
    expected.tensors().forEach((name, t) -> {
      assertArrayEquals(t.shape(), actual.get(name).shape(), what + ": shape of " + name);
      assertArrayEquals(t.data(), actual.get(name).data(), what + ": values of " + name + " (bit-exact)");
    });
  }
}
