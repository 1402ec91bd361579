/**
 * The conformance suite's comparison code: scenarios, quantities, stated tolerances and the runner that holds a
 * backend to the float64 reference. It lives in main sources so the {@code parity} experiment reports the same
 * numbers the tests check.
 */
package org.resbench.harness.conformance;
