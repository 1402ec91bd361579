package org.resbench.harness.backend;

import java.util.Map;
import org.resbench.harness.tensor.HostTensor;

/**
 * What {@link Session#gradients} returns; host arrays the caller owns. Immutable map, mutable arrays.
 *
 * @param objective the value of the objective (mean cross-entropy, or {@code sum(cotangent * output)})
 * @param output the forward output {@code [N, outputs]} (logits)
 * @param inputGradient d objective / d input, shaped like the input; null unless asked for
 * @param parameterGradients d objective / d parameter for every trainable parameter, by name, in the
 *     spec's order; empty unless asked for
 */
public record GradientResult(double objective, HostTensor output, HostTensor inputGradient,
    Map<String, HostTensor> parameterGradients) {
  public GradientResult {
    parameterGradients = parameterGradients == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(parameterGradients));
  }
}
