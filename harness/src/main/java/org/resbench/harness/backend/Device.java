package org.resbench.harness.backend;

/** Where a backend computes. */
public enum Device {
  CPU, CUDA
}
