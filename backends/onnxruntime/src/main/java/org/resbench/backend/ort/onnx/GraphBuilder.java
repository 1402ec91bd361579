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
 * once in the whole model, subgraphs included; {@link #fresh} makes unique ones), inputs, initializers, nodes and
 * outputs, and the cache of small constants. Nodes are added through {@link #node(OnnxOp)}, which checks each call
 * against the operator's declaration and that every input names a value visible where the node is. {@link #build}
 * yields a {@code ModelProto} at opset {@value #OPSET}, importing version 1 of any other operator domain a node used.
 *
 * <p>Conditional parts ({@link #beginIf}): an ONNX {@code If} whose then-branch is emitted like the rest of the
 * graph and whose else-branch yields the values a skipped part stands for. Values of a closed then-branch are not
 * visible outside it, except those declared {@link Conditional#exportable}: a node outside that uses one gets it
 * through a new output of the {@code If}, which is 0 (a float scalar) when the else-branch ran. Initializers and
 * constants always belong to the main graph (subgraphs read them from the enclosing scope). Not thread-safe; one
 * builder per graph.
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
  /** Every name defined anywhere in the model (names are unique across subgraphs too). */
  private final Set<String> defined = new HashSet<>();
  private final Set<String> reserved = new HashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private final List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
  private final List<OnnxMl.ValueInfoProto> outputs = new ArrayList<>();
  private final List<OnnxMl.TensorProto> initializers = new ArrayList<>();
  /** The open scopes, innermost first: the main graph, then the branches being emitted. */
  private final java.util.ArrayDeque<Scope> scopes = new java.util.ArrayDeque<>();
  /** The main graph's scope (initializers and constants are defined here, whatever scope is open). */
  private final Scope main = new Scope();
  /** Values of closed then-branches that may be used outside them, with the conditional that defines them. */
  private final Map<String, Conditional> exportable = new HashMap<>();
  /** Values of closed then-branches already made outputs of their conditional: inner name to outer name. */
  private final Map<String, String> exported = new HashMap<>();
  private final Map<String, String> constants = new HashMap<>();
  /** The non-standard operator domains used (each imported at version 1). */
  private final Set<String> domains = new java.util.TreeSet<>();

  public GraphBuilder(String graphName) {
    this.graphName = graphName;
    scopes.push(main);
  }

  /** The values and nodes of one graph or branch; a branch's nodes may include nested conditionals. */
  private static final class Scope {
    final Set<String> names = new HashSet<>();
    /** {@code OnnxMl.NodeProto}s and {@link Conditional}s, in order. */
    final List<Object> nodes = new ArrayList<>();
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
    define(name, scopes.peek());
  }

  private void define(String name, Scope scope) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("value name: must not be empty");
    }
    if (!defined.add(name)) {
      throw new IllegalArgumentException("value '" + name + "' is defined twice in graph '" + graphName
          + "'; allowed: each name once");
    }
    scope.names.add(name);
  }

  /** Whether {@code name} can be used where nodes are being added now (defined in an open scope). */
  public boolean visible(String name) {
    for (Scope s : scopes) {
      if (s.names.contains(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The name under which {@code name} is used where nodes are being added now: itself when visible, else the output
   * of the closed conditional that exports it (made on first use).
   */
  private String resolve(String name) {
    if (visible(name)) {
      return name;
    }
    String outer = exported.get(name);
    if (outer == null) {
      Conditional c = exportable.get(name);
      if (c == null) {
        throw new IllegalArgumentException("value '" + name + "' is not defined in graph '" + graphName
            + "'; allowed: an input, initializer or node output defined before use in this or an enclosing scope");
      }
      outer = c.export(name);
    }
    if (!visible(outer)) {
      throw new IllegalArgumentException("value '" + name + "' is exported by a conditional not visible here");
    }
    return outer;
  }

  /**
   * Declares a graph input. A dimension of -1 is the symbolic batch dimension {@value #BATCH_DIM}.
   *
   * @return the input's name
   */
  public String input(String name, ElemType type, long... dims) {
    requireMainScope("input");
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
    define(name, main);
    initializers.add(floatTensor(name, data, dims));
    return name;
  }

  /**
   * Declares a graph output named {@code name} holding {@code value}; when {@code value} is not free to be
   * renamed (an input, or a value already used), an Identity node carries it.
   */
  public void output(String name, String value, ElemType type, long... dims) {
    requireMainScope("output");
    String v = resolve(value);
    if (!name.equals(v)) {
      v = node(OnnxOp.IDENTITY).in(v).out(name);
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
      define(name, main);
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
      define(name, main);
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

  private void requireMainScope(String what) {
    if (scopes.peek() != main) {
      throw new IllegalStateException(what + " declared inside a branch; allowed: in the main graph only");
    }
  }

  /**
   * Starts a conditional part of the graph: an ONNX {@code If} on {@code cond} (a bool tensor of one element, visible
   * here). Nodes added from now on form its then-branch, until {@link Conditional#otherwise()}; then its
   * else-branch, until {@link Conditional#end}. Conditionals nest.
   */
  public Conditional beginIf(String cond, String hint) {
    String c = resolve(cond);
    Conditional k = new Conditional(c, hint, scopes.peek());
    scopes.push(k.thenScope);
    return k;
  }

  /**
   * An ONNX {@code If} under construction, and after {@link #end} the outputs it still gains: a value of its
   * then-branch declared {@link #exportable} and used outside becomes a new output, 0 (a float scalar) from the
   * else-branch.
   */
  public final class Conditional {
    private final String cond;
    private final String hint;
    private final Scope parent;
    private final Scope thenScope = new Scope();
    private final Scope elseScope = new Scope();
    private final List<String> thenOutputs = new ArrayList<>();
    private final List<String> elseOutputs = new ArrayList<>();
    private final List<String> outerOutputs = new ArrayList<>();
    private String zero;
    private int state; // 0 then-branch, 1 else-branch, 2 ended

    private Conditional(String cond, String hint, Scope parent) {
      this.cond = cond;
      this.hint = hint;
      this.parent = parent;
    }

    /** Ends the then-branch and starts the else-branch. */
    public void otherwise() {
      if (state != 0 || scopes.peek() != thenScope) {
        throw new IllegalStateException("otherwise(): the then-branch of '" + hint + "' is not the open scope");
      }
      scopes.pop();
      scopes.push(elseScope);
      state = 1;
    }

    /**
     * Ends the conditional: its outputs are, pairwise, {@code thenValues} (of the then-branch, or visible there) and
     * {@code elseValues} (of the else-branch, or visible there). Returns their names outside, in order.
     */
    public String[] end(List<String> thenValues, List<String> elseValues) {
      if (state != 1 || scopes.peek() != elseScope) {
        throw new IllegalStateException("end(): the else-branch of '" + hint + "' is not the open scope");
      }
      if (thenValues.size() != elseValues.size()) {
        throw new IllegalArgumentException("conditional '" + hint + "': " + thenValues.size() + " then-values and "
            + elseValues.size() + " else-values; allowed: as many of each");
      }
      List<String> elseOwn = new ArrayList<>();
      for (String v : elseValues) {
        elseOwn.add(own(elseScope, resolve(v)));
      }
      scopes.pop();
      scopes.push(thenScope);
      List<String> thenOwn = new ArrayList<>();
      for (String v : thenValues) {
        thenOwn.add(own(thenScope, resolve(v)));
      }
      scopes.pop();
      state = 2;
      parent.nodes.add(this);
      String[] out = new String[thenOwn.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = addOutput(thenOwn.get(i), elseOwn.get(i));
      }
      return out;
    }

    /**
     * Lets values of the then-branch be used outside it once the conditional has ended (as outputs that are 0 when
     * the else-branch ran); {@code null} is ignored, and so are values not defined in the then-branch itself.
     */
    public void exportable(java.util.Collection<String> values) {
      for (String v : values) {
        if (v != null && thenScope.names.contains(v)) {
          exportable.put(v, this);
        }
      }
    }

    /** {@code v} as a value this scope defines: itself, or an Identity of it when it comes from outside. */
    private String own(Scope scope, String v) {
      if (scope.names.contains(v)) {
        return v;
      }
      return node(OnnxOp.IDENTITY).hint(hint + ".pass").in(v).out();
    }

    private String addOutput(String thenValue, String elseValue) {
      String outer = fresh(thenValue);
      define(outer, parent);
      thenOutputs.add(thenValue);
      elseOutputs.add(elseValue);
      outerOutputs.add(outer);
      return outer;
    }

    /** Makes exportable {@code inner} an output; the else-branch yields 0. */
    private String export(String inner) {
      if (state != 2) {
        throw new IllegalStateException("value '" + inner + "' of the then-branch of '" + hint + "' used before the"
            + " conditional ended");
      }
      scopes.push(elseScope);
      if (zero == null) {
        zero = node(OnnxOp.IDENTITY).hint(hint + ".skipped").in(scalar(0f)).out();
      }
      String z = elseOutputs.contains(zero) ? node(OnnxOp.IDENTITY).hint(hint + ".skipped").in(zero).out() : zero;
      scopes.pop();
      String outer = addOutput(inner, z);
      exported.put(inner, outer);
      return outer;
    }

    private OnnxMl.NodeProto build() {
      OnnxMl.GraphProto thenGraph = subgraph(hint + ".then", thenScope, thenOutputs);
      OnnxMl.GraphProto elseGraph = subgraph(hint + ".else", elseScope, elseOutputs);
      return OnnxMl.NodeProto.newBuilder().setOpType(OnnxOp.IF.opType()).setName("node/" + hint)
          .addInput(cond).addAllOutput(outerOutputs)
          .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch")
              .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(thenGraph))
          .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("else_branch")
              .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(elseGraph))
          .build();
    }
  }

  private OnnxMl.GraphProto subgraph(String name, Scope scope, List<String> outs) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName(name).addAllNode(built(scope));
    for (String o : outs) {
      g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(o).setType(OnnxMl.TypeProto.newBuilder()
          .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(ElemType.FLOAT.code()))));
    }
    return g.build();
  }

  private static List<OnnxMl.NodeProto> built(Scope scope) {
    List<OnnxMl.NodeProto> out = new ArrayList<>();
    for (Object n : scope.nodes) {
      out.add(n instanceof Conditional c ? c.build() : (OnnxMl.NodeProto) n);
    }
    return out;
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
        in.add(n.isEmpty() ? n : resolve(n));
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
      scopes.peek().nodes.add(nb.build());
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
    if (scopes.peek() != main) {
      throw new IllegalStateException("build(): a conditional of graph '" + graphName + "' is not ended");
    }
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName(graphName).setDocString(doc)
        .addAllInput(inputs).addAllOutput(outputs).addAllInitializer(initializers).addAllNode(built(main));
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
