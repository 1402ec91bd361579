package org.resbench.backend.djl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Removes a named initializer from a serialised ONNX {@code ModelProto}, editing the protobuf wire format
 * directly (this module has no protobuf classes). Used to turn an input that has a default value (ONNX
 * Runtime lists it as an "overridable initializer", which DJL's OnnxRuntime block cannot feed) into a
 * required input. Every other byte is copied unchanged. Stateless and thread-safe.
 *
 * <p>Fields used: {@code ModelProto.graph = 7}, {@code GraphProto.initializer = 5},
 * {@code TensorProto.name = 8}.
 */
final class OnnxInitializers {
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int TENSOR_NAME = 8;

  private OnnxInitializers() {}

  /** The result: the edited model and whether the initializer was found. */
  record Stripped(byte[] model, boolean removed) {}

  /** {@code model} without the graph initializer called {@code name}. */
  static Stripped remove(byte[] model, String name) {
    Reader r = new Reader(model, 0, model.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(model.length);
    boolean removed = false;
    while (r.more()) {
      int start = r.pos;
      long tag = r.varint();
      if ((tag >>> 3) == MODEL_GRAPH && (tag & 7) == 2) {
        int len = r.length();
        byte[] graph = filterGraph(model, r.pos, r.pos + len, name);
        removed = graph.length != len;
        r.pos += len;
        writeVarint(out, tag);
        writeVarint(out, graph.length);
        out.write(graph, 0, graph.length);
      } else {
        r.skip(tag);
        out.write(model, start, r.pos - start);
      }
    }
    return new Stripped(out.toByteArray(), removed);
  }

  private static byte[] filterGraph(byte[] b, int from, int to, String name) {
    Reader r = new Reader(b, from, to);
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    while (r.more()) {
      int start = r.pos;
      long tag = r.varint();
      r.skip(tag);
      boolean drop = (tag >>> 3) == GRAPH_INITIALIZER && (tag & 7) == 2 && name.equals(tensorName(b, start, r.pos));
      if (!drop) {
        out.write(b, start, r.pos - start);
      }
    }
    return out.toByteArray();
  }

  /** The name of the TensorProto in the length-delimited field at [fieldStart, fieldEnd), or null. */
  private static String tensorName(byte[] b, int fieldStart, int fieldEnd) {
    Reader f = new Reader(b, fieldStart, fieldEnd);
    f.varint();
    int len = f.length();
    Reader t = new Reader(b, f.pos, f.pos + len);
    while (t.more()) {
      long tag = t.varint();
      if ((tag >>> 3) == TENSOR_NAME && (tag & 7) == 2) {
        int n = t.length();
        return new String(b, t.pos, n, StandardCharsets.UTF_8);
      }
      t.skip(tag);
    }
    return null;
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** A cursor over [pos, end) of a protobuf message. */
  private static final class Reader {
    private final byte[] b;
    private final int end;
    private int pos;

    Reader(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("ONNX model: truncated varint at byte " + pos);
        }
        int x = b[pos++] & 0xFF;
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("ONNX model: malformed varint at byte " + pos);
    }

    int length() {
      long n = varint();
      if (n < 0 || n > end - pos) {
        throw new IllegalArgumentException("ONNX model: field length " + n + " at byte " + pos + " exceeds the"
            + " message (" + (end - pos) + " bytes left)");
      }
      return (int) n;
    }

    /** Skips the value of a field whose tag was just read. */
    void skip(long tag) {
      int wire = (int) (tag & 7);
      switch (wire) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> advance(length());
        case 5 -> advance(4);
        default -> throw new IllegalArgumentException("ONNX model: unsupported protobuf wire type " + wire
            + " at byte " + pos + "; allowed: 0, 1, 2, 5");
      }
    }

    private void advance(int n) {
      if (n > end - pos) {
        throw new IllegalArgumentException("ONNX model: truncated field at byte " + pos);
      }
      pos += n;
    }
  }
}
