package org.resbench.experiments;

import java.util.EnumSet;
import java.util.Set;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/** Test doubles: the reference under another name, optionally with its forward outputs scaled (a planted bug). */
final class TestBackends {
  private TestBackends() {}

  /** The reference renamed; {@code forwardScale != 1} multiplies every forward output (a wrong engine). */
  record Renamed(String name, Set<Capability> capabilities, float forwardScale) implements Backend {
    @Override
    public String description() {
      return "test double: the reference as '" + name + "'";
    }

    @Override
    public Device device() {
      return Device.CPU;
    }

    @Override
    public Capabilities probe() {
      return Capabilities.available("test", "1", Device.CPU, capabilities);
    }

    @Override
    public Session open(ModelSpec spec, ModelState state, SessionOptions options) {
      Session d = new ReferenceBackend().open(spec, state, options);
      return new Session() {
        @Override
        public ModelSpec spec() {
          return d.spec();
        }

        @Override
        public String backendName() {
          return name;
        }

        @Override
        public HostTensor forward(HostTensor input, BnMode bnMode, BlockGates gates) {
          HostTensor y = d.forward(input, bnMode, gates);
          for (int i = 0; i < y.size(); i++) {
            y.data()[i] *= forwardScale;
          }
          return y;
        }

        @Override
        public GradientResult gradients(GradientRequest request) {
          return d.gradients(request);
        }

        @Override
        public StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double learningRate) {
          return d.trainStep(input, labels, gates, learningRate);
        }

        @Override
        public java.util.Map<String, HostTensor> activations(HostTensor input, BnMode bnMode, BlockGates gates,
            java.util.List<String> probePoints) {
          return d.activations(input, bnMode, gates, probePoints);
        }

        @Override
        public ModelState readState() {
          return d.readState();
        }

        @Override
        public void loadState(ModelState state) {
          d.loadState(state);
        }

        @Override
        public void close() {
          d.close();
        }
      };
    }
  }

  static Backend copy(String name) {
    return new Renamed(name, EnumSet.allOf(Capability.class), 1f);
  }

  static Backend wrongForward(String name) {
    return new Renamed(name, EnumSet.allOf(Capability.class), 1.01f);
  }

  static Backend inferenceOnly(String name) {
    return new Renamed(name, EnumSet.of(Capability.INFERENCE), 1f);
  }
}
