package org.resbench.harness.conformance;

import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/** A session that passes every call to another; tests override single methods to plant a mistake. Not thread-safe. */
public class ForwardingSession implements Session {
  final Session delegate;

  public ForwardingSession(Session delegate) {
    this.delegate = delegate;
  }

  @Override
  public ModelSpec spec() {
    return delegate.spec();
  }

  @Override
  public String backendName() {
    return delegate.backendName();
  }

  @Override
  public HostTensor forward(HostTensor input, BnMode bnMode, BlockGates gates) {
    return delegate.forward(input, bnMode, gates);
  }

  @Override
  public GradientResult gradients(GradientRequest request) {
    return delegate.gradients(request);
  }

  @Override
  public StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double learningRate) {
    return delegate.trainStep(input, labels, gates, learningRate);
  }

  @Override
  public java.util.Map<String, HostTensor> activations(HostTensor input, BnMode bnMode, BlockGates gates,
      java.util.List<String> probePoints) {
    return delegate.activations(input, bnMode, gates, probePoints);
  }

  @Override
  public ModelState readState() {
    return delegate.readState();
  }

  @Override
  public void loadState(ModelState state) {
    delegate.loadState(state);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
