package org.resbench.backend.ort.onnx;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ONNX operators that resbench's graphs use, each with its domain, arity and the attributes it accepts
 * (Tribuo style: a wrong call is rejected with a message that says what the operator expected and what it got).
 * Tribuo's own operator enum lacks Conv, BatchNormalization and others, hence this one. All are standard operators
 * (default domain, opset {@value GraphBuilder#OPSET}) except the {@code NCHWC_*} ones: ONNX Runtime's own CPU
 * operators of domain {@value #NCHWC_DOMAIN} (version 1), which run convolutions on channel-blocked tensors and
 * exist only in ONNX Runtime (see {@link NchwcLayout}). Immutable.
 */
public enum OnnxOp {
  ADD("Add", 2, 2, 1, 1),
  SUB("Sub", 2, 2, 1, 1),
  MUL("Mul", 2, 2, 1, 1),
  DIV("Div", 2, 2, 1, 1),
  NEG("Neg", 1, 1, 1, 1),
  SQRT("Sqrt", 1, 1, 1, 1),
  RECIPROCAL("Reciprocal", 1, 1, 1, 1),
  EXP("Exp", 1, 1, 1, 1),
  RELU("Relu", 1, 1, 1, 1),
  GREATER("Greater", 2, 2, 1, 1),
  EQUAL("Equal", 2, 2, 1, 1),
  NOT("Not", 1, 1, 1, 1),
  CAST("Cast", 1, 1, 1, 1, Attr.required("to", AttrType.INT)),
  IDENTITY("Identity", 1, 1, 1, 1),
  CONV("Conv", 2, 3, 1, 1, Attr.optional("kernel_shape", AttrType.INTS), Attr.optional("strides", AttrType.INTS),
      Attr.optional("pads", AttrType.INTS), Attr.optional("group", AttrType.INT),
      Attr.optional("dilations", AttrType.INTS)),
  CONV_TRANSPOSE("ConvTranspose", 2, 3, 1, 1, Attr.optional("kernel_shape", AttrType.INTS),
      Attr.optional("strides", AttrType.INTS), Attr.optional("pads", AttrType.INTS),
      Attr.optional("group", AttrType.INT), Attr.optional("output_padding", AttrType.INTS),
      Attr.optional("dilations", AttrType.INTS)),
  /** Inputs X, scale, B, input_mean, input_var; outputs Y, and in training mode running_mean, running_var. */
  BATCH_NORMALIZATION("BatchNormalization", 5, 5, 1, 3, Attr.optional("epsilon", AttrType.FLOAT),
      Attr.optional("momentum", AttrType.FLOAT), Attr.optional("training_mode", AttrType.INT)),
  GEMM("Gemm", 2, 3, 1, 1, Attr.optional("alpha", AttrType.FLOAT), Attr.optional("beta", AttrType.FLOAT),
      Attr.optional("transA", AttrType.INT), Attr.optional("transB", AttrType.INT)),
  MATMUL("MatMul", 2, 2, 1, 1),
  TRANSPOSE("Transpose", 1, 1, 1, 1, Attr.required("perm", AttrType.INTS)),
  RESHAPE("Reshape", 2, 2, 1, 1, Attr.optional("allowzero", AttrType.INT)),
  /** Inputs data, starts, ends, and optionally axes and steps. */
  SLICE("Slice", 3, 5, 1, 1),
  /** Inputs data and optionally split (the sizes, an input since opset 13). */
  SPLIT("Split", 1, 2, 1, Integer.MAX_VALUE, Attr.optional("axis", AttrType.INT)),
  /** Inputs data, pads, and optionally constant_value. */
  PAD("Pad", 2, 3, 1, 1, Attr.optional("mode", AttrType.STRING)),
  GLOBAL_AVERAGE_POOL("GlobalAveragePool", 1, 1, 1, 1),
  FLATTEN("Flatten", 1, 1, 1, 1, Attr.optional("axis", AttrType.INT)),
  /** Inputs data and optionally axes (an input since opset 13). */
  REDUCE_SUM("ReduceSum", 1, 2, 1, 1, Attr.optional("keepdims", AttrType.INT),
      Attr.optional("noop_with_empty_axes", AttrType.INT)),
  /** Opset 17: axes is an attribute (an input only from opset 18). */
  REDUCE_MEAN("ReduceMean", 1, 1, 1, 1, Attr.optional("axes", AttrType.INTS), Attr.optional("keepdims", AttrType.INT)),
  LOG_SOFTMAX("LogSoftmax", 1, 1, 1, 1, Attr.optional("axis", AttrType.INT)),
  /** Inputs indices, depth, values ([off, on]). */
  ONE_HOT("OneHot", 3, 3, 1, 1, Attr.optional("axis", AttrType.INT)),
  SHAPE("Shape", 1, 1, 1, 1, Attr.optional("start", AttrType.INT), Attr.optional("end", AttrType.INT)),
  GATHER("Gather", 2, 2, 1, 1, Attr.optional("axis", AttrType.INT)),
  CONCAT("Concat", 1, Integer.MAX_VALUE, 1, 1, Attr.required("axis", AttrType.INT)),
  /**
   * Input cond (one bool); attributes then_branch and else_branch (graphs with as many outputs as the node). Built
   * only through {@link GraphBuilder#beginIf}.
   */
  IF("If", 1, 1, 1, Integer.MAX_VALUE),
  /**
   * ONNX Runtime's convolution over NCHWc tensors: inputs X (blocked, or plain NCHW with fewer channels than a
   * block), W (in ONNX Runtime's blocked filter order), optionally B and Sum (added to the output before the
   * activation); output blocked.
   */
  NCHWC_CONV(OnnxOp.NCHWC_DOMAIN, "Conv", 2, 4, 1, 1, Attr.optional("kernel_shape", AttrType.INTS),
      Attr.optional("strides", AttrType.INTS), Attr.optional("pads", AttrType.INTS),
      Attr.optional("dilations", AttrType.INTS), Attr.optional("group", AttrType.INT),
      Attr.optional("activation", AttrType.STRING)),
  /**
   * ONNX Runtime's MatMul with either operand transposed in its last two axes (what its optimiser makes of a MatMul
   * fed by a Transpose at its higher optimisation levels), domain {@value #MS_DOMAIN}; emitted only into graphs that
   * run on ONNX Runtime's CPU provider anyway (the NCHWc ones), so that they need no such optimisation.
   */
  FUSED_MATMUL(OnnxOp.MS_DOMAIN, "FusedMatMul", 2, 2, 1, 1, Attr.optional("alpha", AttrType.FLOAT),
      Attr.optional("transA", AttrType.INT), Attr.optional("transB", AttrType.INT)),
  /** NCHW to NCHWc (channels padded to a whole block). */
  NCHWC_REORDER_INPUT(OnnxOp.NCHWC_DOMAIN, "ReorderInput", 1, 1, 1, 1),
  /** NCHWc to NCHW, keeping the first {@code channels} channels. */
  NCHWC_REORDER_OUTPUT(OnnxOp.NCHWC_DOMAIN, "ReorderOutput", 1, 1, 1, 1, Attr.required("channels", AttrType.INT));

  /** The domain of ONNX Runtime's channel-blocked CPU operators. */
  public static final String NCHWC_DOMAIN = "com.microsoft.nchwc";
  /** The domain of ONNX Runtime's own (contrib) operators. */
  public static final String MS_DOMAIN = "com.microsoft";

  /** ONNX attribute types used here. */
  public enum AttrType {
    INT, INTS, FLOAT, STRING
  }

  /** One declared attribute. */
  public record Attr(String name, AttrType type, boolean isRequired) {
    static Attr required(String name, AttrType type) {
      return new Attr(name, type, true);
    }

    static Attr optional(String name, AttrType type) {
      return new Attr(name, type, false);
    }
  }

  private final String domain;
  private final String opType;
  private final int minInputs;
  private final int maxInputs;
  private final int minOutputs;
  private final int maxOutputs;
  private final Map<String, Attr> attributes;

  OnnxOp(String opType, int minInputs, int maxInputs, int minOutputs, int maxOutputs, Attr... attributes) {
    this("", opType, minInputs, maxInputs, minOutputs, maxOutputs, attributes);
  }

  OnnxOp(String domain, String opType, int minInputs, int maxInputs, int minOutputs, int maxOutputs,
      Attr... attributes) {
    this.domain = domain;
    this.opType = opType;
    this.minInputs = minInputs;
    this.maxInputs = maxInputs;
    this.minOutputs = minOutputs;
    this.maxOutputs = maxOutputs;
    LinkedHashMap<String, Attr> m = new LinkedHashMap<>();
    for (Attr a : attributes) {
      m.put(a.name(), a);
    }
    this.attributes = Collections.unmodifiableMap(m);
  }

  /** The operator's domain: empty for the standard operators. */
  public String domain() {
    return domain;
  }

  /** The ONNX op_type, e.g. {@code Conv}. */
  public String opType() {
    return opType;
  }

  /** The attributes this operator accepts, by name. */
  public Map<String, Attr> attributes() {
    return attributes;
  }

  /**
   * Checks a call: input and output counts and attribute names, types and presence. Throws an
   * {@link IllegalArgumentException} that names the operator, what it expected and what it got.
   */
  public void check(int inputs, int outputs, Map<String, Object> attrs) {
    if (inputs < minInputs || inputs > maxInputs) {
      throw new IllegalArgumentException(opType + ": " + inputs + " inputs; allowed: " + range(minInputs, maxInputs));
    }
    if (outputs < minOutputs || outputs > maxOutputs) {
      throw new IllegalArgumentException(opType + ": " + outputs + " outputs; allowed: "
          + range(minOutputs, maxOutputs));
    }
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      Attr a = attributes.get(e.getKey());
      if (a == null) {
        throw new IllegalArgumentException(opType + ": unknown attribute '" + e.getKey() + "'; allowed: "
            + (attributes.isEmpty() ? "none" : String.join(", ", attributes.keySet())));
      }
      if (!fits(a.type(), e.getValue())) {
        throw new IllegalArgumentException(opType + ": attribute '" + a.name() + "' = " + show(e.getValue())
            + "; allowed: a value of type " + a.type());
      }
    }
    String missing = attributes.values().stream().filter(a -> a.isRequired() && !attrs.containsKey(a.name()))
        .map(Attr::name).collect(Collectors.joining(", "));
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(opType + ": required attribute(s) missing: " + missing);
    }
  }

  private static boolean fits(AttrType t, Object v) {
    return switch (t) {
      case INT -> v instanceof Integer || v instanceof Long;
      case INTS -> v instanceof long[] || v instanceof int[];
      case FLOAT -> v instanceof Float || v instanceof Double;
      case STRING -> v instanceof String;
    };
  }

  private static String show(Object v) {
    if (v instanceof long[] l) {
      return Arrays.toString(l);
    }
    if (v instanceof int[] i) {
      return Arrays.toString(i);
    }
    return v + " (" + v.getClass().getSimpleName() + ")";
  }

  private static String range(int min, int max) {
    if (min == max) {
      return String.valueOf(min);
    }
    return max == Integer.MAX_VALUE ? min + " or more" : min + ".." + max;
  }
}
