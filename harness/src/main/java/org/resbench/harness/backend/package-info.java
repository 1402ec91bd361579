/**
 * The backend SPI: {@link org.resbench.harness.backend.Backend} providers found through
 * {@link java.util.ServiceLoader}, the {@link org.resbench.harness.backend.Session} they open, and the values that
 * cross it (host tensors with shapes, gates, path masks, objectives, SGD settings). The canonical semantics every
 * backend must match are written once, on {@code Session}; {@link org.resbench.harness.backend.SessionChecks} holds
 * the argument checks every backend applies the same way. No engine type appears here.
 */
package org.resbench.harness.backend;
