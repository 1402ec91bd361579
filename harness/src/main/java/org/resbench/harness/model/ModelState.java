package org.resbench.harness.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * All tensors a model owns, by name: trainable parameters and BatchNorm running statistics, in the spec's
 * order, each shaped as its {@link ParameterSpec} says. This is how weights enter and leave a backend.
 *
 * <p>Ownership: the state holds its tensors' arrays; {@link #copy()} makes an independent one. The map is
 * unmodifiable but the arrays are not: not thread-safe for concurrent writes.
 */
public final class ModelState {
  private final ModelSpec spec;
  private final Map<String, HostTensor> tensors;

  /** Checks that {@code tensors} has exactly the spec's parameters and buffers, with their shapes. */
  public ModelState(ModelSpec spec, Map<String, HostTensor> tensors) {
    this.spec = spec;
    LinkedHashMap<String, HostTensor> ordered = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      HostTensor t = tensors.get(p.name());
      if (t == null) {
        throw new IllegalArgumentException("model state for '" + spec.name() + "': tensor '" + p.name()
            + "' is missing; allowed: exactly the spec's " + spec.parameters().size() + " tensors");
      }
      if (!java.util.Arrays.equals(t.shape(), p.shape().dims())) {
        throw new IllegalArgumentException("model state for '" + spec.name() + "': tensor '" + p.name()
            + "' has shape " + java.util.Arrays.toString(t.shape()) + "; allowed: " + p.shape());
      }
      ordered.put(p.name(), t);
    }
    if (tensors.size() != ordered.size()) {
      String extra = tensors.keySet().stream().filter(k -> !ordered.containsKey(k)).findFirst().orElse("?");
      throw new IllegalArgumentException("model state for '" + spec.name() + "': unknown tensor '" + extra
          + "'; allowed: the spec's parameter and buffer names");
    }
    this.tensors = Collections.unmodifiableMap(ordered);
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Every tensor, in the spec's order. */
  public Map<String, HostTensor> tensors() {
    return tensors;
  }

  /** One tensor by name, or an {@link IllegalArgumentException} naming the valid ones' count. */
  public HostTensor get(String name) {
    HostTensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("model state for '" + spec.name() + "' has no tensor '" + name + "'");
    }
    return t;
  }

  /**
   * SHA-256 (hex) of every tensor's float32 values, little-endian, in the spec's order: equal hashes mean
   * bit-identical parameters and BatchNorm statistics (the check that a resumed run matches an uninterrupted one).
   */
  public String sha256() {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (HostTensor t : tensors.values()) {
        for (float v : t.data()) {
          if (b.remaining() < 4) {
            md.update(b.array(), 0, b.position());
            b.clear();
          }
          b.putFloat(v);
        }
      }
      md.update(b.array(), 0, b.position());
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** An independent deep copy. */
  public ModelState copy() {
    LinkedHashMap<String, HostTensor> c = new LinkedHashMap<>();
    tensors.forEach((k, v) -> c.put(k, v.copy()));
    return new ModelState(spec, c);
  }
}
