package org.resbench.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.SessionChecks;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * A bare DJL/PyTorch inference loop: the same network as a session, an input NDArray prepared once, BN in
 * inference mode, all gates 1, no host copies except the one checksum element. Owns its NDManager until
 * {@link #close()} (idempotent). Not thread-safe.
 */
final class PtBareInference implements BareInference {
  private final String backend;
  private final NDManager root;
  private final PtNet net;
  private final NDArray input;
  private final PtNet.Pass pass;
  private boolean closed;

  PtBareInference(String backend, ModelSpec spec, ModelState state, HostTensor input, Engine engine,
      ai.djl.Device device) {
    SessionChecks.requireInput(spec, input);
    this.backend = backend;
    this.root = engine.newBaseManager(device);
    try {
      this.net = new PtNet(spec, state, root, DataType.FLOAT32);
      this.input = root.create(input.data(), new Shape(input.longShape()));
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
    this.pass = new PtNet.Pass(BnMode.INFERENCE, false, BlockGates.ones(spec).values(), null);
  }

  @Override
  public double runOnce() {
    if (closed) {
      throw new IllegalStateException(backend + " bare inference is closed");
    }
    try (NDManager step = root.newSubManager()) {
      JniUtils.setGradMode(false);
      input.tempAttach(step);
      NDArray out = net.forward(input, pass);
      return out.get(0, 0).getFloat();
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackendException(backend, "bare inference failed in PyTorch: " + DjlNatives.causeChain(e), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      net.close();
    } finally {
      root.close();
    }
  }
}
