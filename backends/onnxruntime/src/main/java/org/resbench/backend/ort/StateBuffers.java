package org.resbench.backend.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.resbench.backend.ort.onnx.GraphNames;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;

/**
 * A session's parameters, BatchNorm statistics and momentum buffers, held twice in native memory (two sets of direct,
 * 64-byte aligned buffers, one ONNX Runtime tensor viewing each tensor of each set): the current set is fed to every
 * graph that takes the weights as inputs, and a training step writes its new state straight into the other set (its
 * outputs pinned there) and then makes it current. A step thus allocates no state tensors, creates no output objects
 * and copies nothing to Java; a step that fails leaves the current state as it was. Tensors are named as the graphs'
 * inputs: a parameter or statistic by its spec name, a momentum buffer by {@link GraphNames#velocity}.
 *
 * <p>Owns its tensors and buffers until {@link #close()} (idempotent). Not thread-safe.
 */
final class StateBuffers implements AutoCloseable {
  private static final int ALIGN = 64;

  private final List<Map<String, OnnxTensor>> sets = new ArrayList<>(2);
  private final List<Map<String, FloatBuffer>> floats = new ArrayList<>(2);
  private final Map<String, Integer> sizes = new LinkedHashMap<>();
  private int current;

  /** Two sets for {@code spec}'s parameters and statistics and its trainable parameters' momentum buffers, zeroed. */
  StateBuffers(OrtEnvironment env, ModelSpec spec) throws OrtException {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      long[] shape = Arrays.stream(p.shape().dims()).asLongStream().toArray();
      shapes.put(p.name(), shape);
      sizes.put(p.name(), p.shape().size());
      if (p.trainable()) {
        shapes.put(GraphNames.velocity(p.name()), shape);
        sizes.put(GraphNames.velocity(p.name()), p.shape().size());
      }
    }
    long bytes = 0;
    for (int n : sizes.values()) {
      bytes += padded(n);
    }
    try {
      for (int s = 0; s < 2; s++) {
        ByteBuffer memory = ByteBuffer.allocateDirect(Math.toIntExact(bytes + ALIGN)).alignedSlice(ALIGN)
            .order(ByteOrder.nativeOrder());
        Map<String, OnnxTensor> views = new HashMap<>();
        Map<String, FloatBuffer> fs = new HashMap<>();
        sets.add(views);
        floats.add(fs);
        int offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
          int n = sizes.get(e.getKey());
          FloatBuffer f = memory.slice(offset, n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
          fs.put(e.getKey(), f);
          views.put(e.getKey(), OnnxTensor.createTensor(env, f, e.getValue()));
          offset += padded(n);
        }
      }
    } catch (OrtException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private static int padded(int floats) {
    int b = floats * Float.BYTES;
    return (b + ALIGN - 1) / ALIGN * ALIGN;
  }

  /** The current tensors, by graph input name; valid until the next {@link #advance()} or close. */
  Map<String, OnnxTensor> current() {
    return sets.get(current);
  }

  /** The other set's tensors, by graph input name: where a training step writes the next state. */
  Map<String, OnnxTensor> next() {
    return sets.get(1 - current);
  }

  /** Makes the other set current (after a training step wrote it completely). */
  void advance() {
    current = 1 - current;
  }

  /** A copy of the current values of {@code name}. */
  float[] read(String name) {
    FloatBuffer f = floats.get(current).get(name);
    float[] out = new float[f.capacity()];
    f.get(0, out);
    return out;
  }

  /** Overwrites the current values of {@code name} ({@code values} null: zeros). */
  void write(String name, float[] values) {
    FloatBuffer f = floats.get(current).get(name);
    f.put(0, values == null ? new float[f.capacity()] : values);
  }

  /** The names of the tensors, in spec order (each parameter followed by its momentum buffer). */
  java.util.Set<String> names() {
    return sizes.keySet();
  }

  @Override
  public void close() {
    for (Map<String, OnnxTensor> set : sets) {
      for (OnnxTensor t : set.values()) {
        t.close();
      }
    }
    sets.clear();
    floats.clear();
  }
}
