package org.resbench.harness.spec;

import java.util.List;
import java.util.stream.Collectors;

/** Helpers for layer lists applied in order. Stateless. */
final class Sequence {
  private Sequence() {}

  static Shape outputShape(List<Layer> layers, Shape in) {
    Shape s = in;
    for (Layer l : layers) {
      s = l.outputShape(s);
    }
    return s;
  }

  static long macs(List<Layer> layers, Shape in) {
    long total = 0;
    Shape s = in;
    for (Layer l : layers) {
      total = MemoryEstimate.saturatingAdd(total, l.macs(s));
      s = l.outputShape(s);
    }
    return total;
  }

  static String canonical(List<Layer> layers) {
    return layers.stream().map(Layer::canonical).collect(Collectors.joining(";"));
  }
}
