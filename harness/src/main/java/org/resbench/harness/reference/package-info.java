/**
 * The {@code reference} backend: a plain-Java, float64 implementation of the canonical semantics, slow and
 * exact, proven by finite differences; the oracle every other backend is compared with.
 */
package org.resbench.harness.reference;
