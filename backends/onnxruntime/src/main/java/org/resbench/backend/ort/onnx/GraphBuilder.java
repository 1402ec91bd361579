package org.resbench.backend.ort.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one context that owns an ONNX graph under construction: its value names (every name is defined exactly
 * once; {@link #fresh} makes unique ones), inputs, initializers, nodes and outputs, and the cache of small
 * constants. Nodes are added through {@link #node(OnnxOp)}, which checks each call against the operator's
 * declaration and that every input names an existing value. {@link #build} yields a {@code ModelProto} at
 * opset {@value #OPSET}, importing version 1 of any other operator domain a node used. Not thread-safe; one builder
 * per graph.
 */
public final class GraphBuilder {
  /** The ONNX opset of every graph: loaded by ONNX tools and runtimes of recent years. */
  public static final int OPSET = 17;
  /** The IR version that goes with opset 17 (ONNX 1.12). */
  public static final long IR_VERSION = 8;
  /** The symbolic name of the batch dimension. */
  public static final String BATCH_DIM = "N";

  /** Element types used in resbench graphs, with their ONNX codes. */
  public enum ElemType {
    FLOAT(1), INT64(7), BOOL(9);

    private final int code;

    ElemType(int code) {
      this.code = code;
    }

    /** The ONNX {@code TensorProto.DataType} value. */
    public int code() {
      return code;
    }
  }

  private final String graphName;
  private final Set<String> defined = new HashSet<>();
  private final Set<String> reserved = new HashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private final List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
  private final List<OnnxMl.ValueInfoProto> outputs = new ArrayList<>();
  private final List<OnnxMl.TensorProto> initializers = new ArrayList<>();
  private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
  private final Map<String, String> constants = new HashMap<>();
  /** The non-standard operator domains used (each imported at version 1). */
  private final Set<String> domains = new java.util.TreeSet<>();

  public GraphBuilder(String graphName) {
    this.graphName = graphName;
  }

  /** A name that is neither defined nor handed out before, derived from {@code hint}. */
  public String fresh(String hint) {
    String base = hint == null || hint.isEmpty() ? "v" : hint;
    int n = counters.getOrDefault(base, 0);
    String candidate = n == 0 ? base : base + "_" + n;
    while (defined.contains(candidate) || reserved.contains(candidate)) {
      n++;
      candidate = base + "_" + n;
    }
    counters.put(base, n);
    reserved.add(candidate);
    return candidate;
  }

  private void define(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("value name: must not be empty");
    }
    if (!defined.add(name)) {
      throw new IllegalArgumentException("value '" + name + "' is defined twice in graph '" + graphName
          + "'; allowed: each name once");
    }
  }

  /**
   * Declares a graph input. A dimension of -1 is the symbolic batch dimension {@value #BATCH_DIM}.
   *
   * @return the input's name
   */
  public String input(String name, ElemType type, long... dims) {
    define(name);
    inputs.add(valueInfo(name, type, dims));
    return name;
  }

  /**
   * Declares a float input with a default value: an initializer of the same name (ONNX IR >= 4), so that tools
   * which feed only the required inputs still run the graph while any caller may override it.
   */
  public String inputWithDefault(String name, float[] defaults, long... dims) {
    input(name, ElemType.FLOAT, dims);
    initializers.add(floatTensor(name, defaults, dims));
    return name;
  }

  /** Adds a float initializer (a constant tensor, e.g. a weight) named exactly {@code name}. */
  public String initializer(String name, float[] data, long... dims) {
    define(name);
    initializers.add(floatTensor(name, data, dims));
    return name;
  }

  /**
   * Declares a graph output named {@code name} holding {@code value}; when {@code value} is not free to be
   * renamed (an input, or a value already used), an Identity node carries it.
   */
  public void output(String name, String value, ElemType type, long... dims) {
    requireDefined(value);
    String v = value;
    if (!name.equals(value)) {
      v = node(OnnxOp.IDENTITY).in(value).out(name);
    }
    outputs.add(valueInfo(v, type, dims));
  }

  /** A rank-0 float constant (cached). */
  public String scalar(float value) {
    return floats(new long[0], new float[] {value});
  }

  /** A float constant of the given shape (cached by shape and value). */
  public String floats(long[] dims, float... values) {
    String key = "f" + Arrays.toString(dims) + Arrays.toString(values);
    String name = constants.get(key);
    if (name == null) {
      name = fresh("const");
      define(name);
      initializers.add(floatTensor(name, values, dims));
      constants.put(key, name);
    }
    return name;
  }

  /** A 1-D int64 constant (cached), as Reshape, Slice, Pad and ReduceSum take for shapes and axes. */
  public String int64s(long... values) {
    return int64Tensor(new long[] {values.length}, values);
  }

  /** A rank-0 int64 constant (cached). */
  public String int64Scalar(long value) {
    return int64Tensor(new long[0], new long[] {value});
  }

  private String int64Tensor(long[] dims, long[] values) {
    String key = "i" + Arrays.toString(dims) + Arrays.toString(values);
    String name = constants.get(key);
    if (name == null) {
      name = fresh("const");
      define(name);
      OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
          .setDataType(ElemType.INT64.code());
      for (long d : dims) {
        t.addDims(d);
      }
      for (long v : values) {
        t.addInt64Data(v);
      }
      initializers.add(t.build());
      constants.put(key, name);
    }
    return name;
  }

  /** Starts a node; finish it with {@link Node#out()} or {@link Node#outs}. */
  public Node node(OnnxOp op) {
    return new Node(op);
  }

  private void requireDefined(String name) {
    if (!defined.contains(name)) {
      throw new IllegalArgumentException("value '" + name + "' is not defined in graph '" + graphName
          + "'; allowed: an input, initializer or node output defined before use");
    }
  }

  /** One node under construction; single use. */
  public final class Node {
    private final OnnxOp op;
    private final List<String> in = new ArrayList<>();
    private final LinkedHashMap<String, Object> attrs = new LinkedHashMap<>();
    private String hint;

    private Node(OnnxOp op) {
      this.op = op;
      this.hint = op.opType().toLowerCase(java.util.Locale.ROOT);
    }

    /** Inputs in order; an empty string leaves an optional input out. */
    public Node in(String... names) {
      for (String n : names) {
        if (!n.isEmpty()) {
          requireDefined(n);
        }
        in.add(n);
      }
      return this;
    }

    /** The stem of generated output names, for readable graphs. */
    public Node hint(String h) {
      hint = h;
      return this;
    }

    public Node attr(String name, long value) {
      attrs.put(name, value);
      return this;
    }

    public Node attr(String name, float value) {
      attrs.put(name, value);
      return this;
    }

    public Node attr(String name, String value) {
      attrs.put(name, value);
      return this;
    }

    public Node ints(String name, long... values) {
      attrs.put(name, values.clone());
      return this;
    }

    /** Adds the node with one output named from the hint. */
    public String out() {
      return outs(1)[0];
    }

    /** Adds the node with one output named exactly {@code name}. */
    public String out(String name) {
      return emit(new String[] {name})[0];
    }

    /** Adds the node with {@code n} outputs named from the hint. */
    public String[] outs(int n) {
      String[] names = new String[n];
      for (int i = 0; i < n; i++) {
        names[i] = fresh(hint);
      }
      return emit(names);
    }

    private String[] emit(String[] outNames) {
      op.check(in.size(), outNames.length, attrs);
      for (String o : outNames) {
        define(o);
      }
      OnnxMl.NodeProto.Builder nb = OnnxMl.NodeProto.newBuilder().setOpType(op.opType())
          .setName(fresh("node/" + outNames[0]));
      if (!op.domain().isEmpty()) {
        nb.setDomain(op.domain());
        domains.add(op.domain());
      }
      nb.addAllInput(in).addAllOutput(Arrays.asList(outNames));
      for (Map.Entry<String, Object> e : attrs.entrySet()) {
        nb.addAttribute(attribute(e.getKey(), op.attributes().get(e.getKey()).type(), e.getValue()));
      }
      nodes.add(nb.build());
      return outNames;
    }
  }

  private static OnnxMl.AttributeProto attribute(String name, OnnxOp.AttrType type, Object v) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
    switch (type) {
      case INT -> a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
      case FLOAT -> a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
      case STRING -> a.setType(OnnxMl.AttributeProto.AttributeType.STRING)
          .setS(ByteString.copyFromUtf8((String) v));
      case INTS -> {
        a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
        if (v instanceof long[] l) {
          for (long x : l) {
            a.addInts(x);
          }
        } else {
          for (int x : (int[]) v) {
            a.addInts(x);
          }
        }
      }
    }
    return a.build();
  }

  private static OnnxMl.TensorProto floatTensor(String name, float[] data, long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(dims) + " holds " + n
          + " values but " + data.length + " were given; allowed: exactly the shape's size");
    }
    ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(data);
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(ElemType.FLOAT.code()).setRawData(ByteString.copyFrom(raw.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, ElemType type, long[] dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM).build()
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d).build());
    }
    OnnxMl.TypeProto tp = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
        .setElemType(type.code()).setShape(shape)).build();
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(tp).build();
  }

  /**
   * The finished model.
   *
   * @param producerVersion written as {@code producer_version}
   * @param metadata written as {@code metadata_props}, in order
   * @param doc the graph's doc string (may be empty)
   */
  public OnnxMl.ModelProto build(String producerVersion, Map<String, String> metadata, String doc) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName(graphName).setDocString(doc)
        .addAllInput(inputs).addAllOutput(outputs).addAllInitializer(initializers).addAllNode(nodes);
    OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder().setIrVersion(IR_VERSION)
        .setProducerName("resbench").setProducerVersion(producerVersion).setDomain("org.resbench")
        .setModelVersion(1).setGraph(g)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    for (String d : domains) {
      m.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(d).setVersion(1));
    }
    metadata.forEach((k, v) -> m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }
}
