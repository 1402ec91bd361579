/** The {@code parity} experiment: every backend against the float64 reference. */
package org.resbench.experiments.parity;
