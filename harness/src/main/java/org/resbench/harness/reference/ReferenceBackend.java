package org.resbench.harness.reference;

import java.util.EnumSet;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.SessionChecks;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;

/**
 * The {@code reference} backend: a plain Java implementation of the canonical semantics in float64, with
 * float32 only at the SPI boundary. It is the oracle of the conformance suite and of the parity experiment;
 * slow next to an engine, but exact (no finite differences, no engine in between) and deterministic.
 * Stateless and thread-safe; has no native code, so it is always available.
 */
public final class ReferenceBackend implements Backend {
  /** The name the CLI shows. */
  public static final String NAME = "reference";
  /** What {@link Capabilities#engine()} reports. */
  public static final String ENGINE = "resbench reference (Java float64)";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "pure-Java float64 implementation of the canonical semantics; the oracle backends are checked against";
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  public Capabilities probe() {
    String version = ReferenceBackend.class.getPackage().getImplementationVersion();
    return Capabilities.available(ENGINE, version == null ? "unknown" : version, Device.CPU,
        EnumSet.allOf(Capability.class));
  }

  /** Opens a session; rejects a null argument or a state of another spec with an {@link IllegalArgumentException}. */
  @Override
  public ReferenceSession open(ModelSpec spec, ModelState state, SessionOptions options) {
    SessionChecks.requireOpenArgs(spec, state, options);
    return new ReferenceSession(spec, state, options);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
