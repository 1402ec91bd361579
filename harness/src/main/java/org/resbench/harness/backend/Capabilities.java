package org.resbench.harness.backend;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a probe of a backend found. Immutable.
 *
 * @param available whether sessions can be opened on this machine
 * @param unavailableReason when not available: what is missing and what would work instead; else null
 * @param engine the engine's name, e.g. "ONNX Runtime"
 * @param engineVersion the engine's version as the engine reports it, or "unknown"
 * @param device where it computes
 * @param supported what it can do when available
 */
public record Capabilities(boolean available, String unavailableReason, String engine, String engineVersion,
    Device device, Set<Capability> supported) {

  public Capabilities {
    if (!available && (unavailableReason == null || unavailableReason.isBlank())) {
      throw new IllegalArgumentException("an unavailable backend needs a reason");
    }
    supported = supported.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(supported));
  }

  public static Capabilities available(String engine, String version, Device device, Set<Capability> supported) {
    return new Capabilities(true, null, engine, version, device, supported);
  }

  public static Capabilities unavailable(String engine, String version, Device device, String reason,
      Set<Capability> supportedWhenAvailable) {
    return new Capabilities(false, reason, engine, version, device, supportedWhenAvailable);
  }

  /** Whether the backend is available and supports {@code c}. */
  public boolean can(Capability c) {
    return available && supported.contains(c);
  }
}
