package org.resbench.backend.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reusable input tensors: one direct buffer and one ONNX Runtime tensor over it per input name, kept while the
 * shape stays the same, so that a call copies its host array into native memory once and allocates nothing
 * (the harness's overhead over a bare engine loop stays small). Owns its tensors until {@link #close()}. Not
 * thread-safe; a tensor handed out is valid until the next call for the same name.
 */
final class Staging implements AutoCloseable {
  private final OrtEnvironment env;
  private final Map<String, Slot> slots = new HashMap<>();

  private static final class Slot {
    long[] shape;
    ByteBuffer bytes;
    FloatBuffer floats;
    LongBuffer longs;
    OnnxTensor tensor;
    boolean isLong;
  }

  Staging(OrtEnvironment env) {
    this.env = env;
  }

  /** A float tensor named {@code name} holding {@code data} with {@code shape}. */
  OnnxTensor floats(String name, float[] data, long[] shape) throws OrtException {
    Slot s = slot(name, shape, false);
    s.floats.put(0, data);
    return s.tensor;
  }

  /**
   * A float tensor named {@code name} of {@code shape} for ONNX Runtime to write an output into (a pinned
   * output); read it with {@link #read} after the run.
   */
  OnnxTensor output(String name, long[] shape) throws OrtException {
    return slot(name, shape, false).tensor;
  }

  /** The current contents of the float tensor named {@code name}, copied into a new array. */
  float[] read(String name) {
    Slot s = slots.get(name);
    float[] out = new float[s.floats.capacity()];
    s.floats.get(0, out);
    return out;
  }

  /** A rank-0 float tensor. */
  OnnxTensor scalar(String name, float value) throws OrtException {
    Slot s = slot(name, new long[0], false);
    s.bytes.putFloat(0, value);
    return s.tensor;
  }

  /** An int64 tensor from int values, e.g. labels. */
  OnnxTensor longs(String name, int[] data, long[] shape) throws OrtException {
    Slot s = slot(name, shape, true);
    for (int i = 0; i < data.length; i++) {
      s.longs.put(i, data[i]);
    }
    return s.tensor;
  }

  private Slot slot(String name, long[] shape, boolean isLong) throws OrtException {
    Slot s = slots.get(name);
    if (s != null && s.isLong == isLong && Arrays.equals(s.shape, shape)) {
      return s;
    }
    if (s != null) {
      s.tensor.close();
      slots.remove(name);
    }
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    Slot fresh = new Slot();
    fresh.shape = shape.clone();
    fresh.isLong = isLong;
    fresh.bytes = ByteBuffer.allocateDirect(Math.toIntExact(n * (isLong ? 8 : 4))).order(ByteOrder.nativeOrder());
    if (isLong) {
      fresh.longs = fresh.bytes.asLongBuffer();
      fresh.tensor = OnnxTensor.createTensor(env, fresh.longs, shape);
    } else {
      fresh.floats = fresh.bytes.asFloatBuffer();
      fresh.tensor = OnnxTensor.createTensor(env, fresh.floats, shape);
    }
    slots.put(name, fresh);
    return fresh;
  }

  @Override
  public void close() {
    for (Slot s : slots.values()) {
      s.tensor.close();
    }
    slots.clear();
  }
}
