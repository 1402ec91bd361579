package org.resbench.experiments;

import java.util.EnumSet;
import java.util.Set;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.conformance.ForwardingSession;
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
      return new ForwardingSession(new ReferenceBackend().open(spec, state, options)) {
        @Override
        public String backendName() {
          return name;
        }

        @Override
        public HostTensor forward(HostTensor input, BnMode bnMode, BlockGates gates) {
          HostTensor y = super.forward(input, bnMode, gates);
          for (int i = 0; i < y.size(); i++) {
            y.data()[i] *= forwardScale;
          }
          return y;
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
