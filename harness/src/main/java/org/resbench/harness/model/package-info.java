/**
 * Model state (parameters and BatchNorm statistics as host tensors) and its initialisation from a seed, one
 * random stream per (seed, tensor name), so weights are the same bits on every JVM and backend.
 */
package org.resbench.harness.model;
