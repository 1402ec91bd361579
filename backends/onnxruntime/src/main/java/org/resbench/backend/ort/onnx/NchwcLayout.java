package org.resbench.backend.ort.onnx;

import java.util.ArrayList;
import java.util.List;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.Conv2d;
import org.resbench.harness.spec.Layer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.Shape;
import org.resbench.harness.spec.SubsamplePad;

/**
 * Emits spatial activations in ONNX Runtime's channel-blocked layout ("NCHWc", block size B, 16 on AVX-512 and 8
 * on AVX2 CPUs) and the convolutions over them, for graphs whose weights are inputs.
 *
 * <p>Why: ONNX Runtime's CPU provider runs its fast blocked convolution kernels only where its optimiser can rewrite
 * a convolution whose weights are a constant initializer, which a training graph's weights are not; there its
 * ordinary convolutions took about 1.7 times as long as the blocked ones on the same shapes (ResNet-20's 32- and
 * 64-channel layers, batch 128). The blocked operator itself ({@link OnnxOp#NCHWC_CONV}) reads its filter from an
 * ordinary input on every run; only the filter's element order differs. This class computes that order in the
 * graph from the OIHW weights (a Reshape and a Transpose of a few thousand values), so the weights stay plain graph
 * inputs, nothing is constant-folded, pre-packed or cached between runs, and a changed weight takes effect on the
 * next run. Converting activations per convolution would cost two extra passes each (measured: most of the gain
 * lost), so activations stay blocked between layers.
 *
 * <p>Representation: an activation {@code [N, C, H, W]} is ONNX Runtime's NCHWc tensor, held as the 5-D view
 * {@code [N, C/B, H, W, B]} (a Reshape, no copy), so that standard element-wise operators, Slice, Pad and reductions
 * apply to it with per-channel vectors shaped {@code [1, C/B, 1, 1, B]}; a convolution takes the 4-D view
 * {@code [N, C, H, W]} of the same memory. Channel {@code c} is lane {@code c mod B} of block {@code c / B}.
 *
 * <p>Filter orders (ONNX Runtime's MLAS): OIHWBiBo, {@code [O/B][I/B][kh][kw][I mod B][O mod B]}, for blocked
 * input; OIHWBo, {@code [O/B][I][kh][kw][O mod B]}, for a plain NCHW input with fewer channels than a block (the
 * network's first convolution); a depthwise 1x1 filter {@code [C, 1, 1, 1]} is in plain order.
 *
 * <p>Not thread-safe; one instance per graph, sharing the graph's {@link GraphBuilder}.
 */
final class NchwcLayout {
  private final GraphBuilder g;
  private final int block;

  NchwcLayout(GraphBuilder g, int block) {
    if (block < 4 || block % 4 != 0) {
      throw new IllegalArgumentException("NCHWc block size " + block + "; allowed: a multiple of 4 (8 or 16)");
    }
    this.g = g;
    this.block = block;
  }

  /** The block size B. */
  int block() {
    return block;
  }

  /**
   * Whether every spatial layer of {@code spec} can run blocked with block size {@code block}: the first layer is a
   * convolution (it takes the plain input), every convolution is ungrouped with a multiple of B output channels and
   * a multiple of B input channels (the first one: a multiple of B, or fewer than B), and every option-A shortcut
   * pads from and to multiples of B. Other specs (ResNeXt's grouped convolutions, MLPs) keep plain NCHW.
   */
  static boolean supports(ModelSpec spec, int block) {
    if (block < 4 || spec.inputShape().rank() != 3 || spec.stem().isEmpty()
        || !(spec.stem().get(0) instanceof Conv2d)) {
      return false;
    }
    List<Layer> all = new ArrayList<>(spec.stem());
    for (Block b : spec.blocks()) {
      all.addAll(b.branch());
      all.addAll(b.shortcut());
      all.addAll(b.post());
    }
    all.addAll(spec.head());
    for (Layer l : all) {
      if (l instanceof Conv2d c) {
        boolean first = l == spec.stem().get(0);
        boolean inOk = c.inChannels() % block == 0 || (first && c.inChannels() < block);
        if (c.groups() != 1 || c.outChannels() % block != 0 || !inOk) {
          return false;
        }
      } else if (l instanceof SubsamplePad sp) {
        if (sp.inChannels() % block != 0 || sp.outChannels() % block != 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** The 4-D view {@code [N, C, H, W]} of a blocked activation of per-example shape {@code s}. */
  String view4(String v5, Shape s) {
    return g.node(OnnxOp.RESHAPE).in(v5, g.int64s(-1, s.dim(0), s.dim(1), s.dim(2))).out();
  }

  /** The 5-D view {@code [N, C/B, H, W, B]} of a blocked 4-D tensor of per-example shape {@code s}. */
  String view5(String v4, Shape s) {
    return view5(v4, s, null);
  }

  /** As {@link #view5(String, Shape)}, the result named {@code name} when not null. */
  private String view5(String v4, Shape s, String name) {
    GraphBuilder.Node n = g.node(OnnxOp.RESHAPE).in(v4, g.int64s(-1, s.dim(0) / block, s.dim(1), s.dim(2), block));
    return name == null ? n.out() : n.out(name);
  }

  /** A plain NCHW tensor (channels a multiple of B) as a blocked activation. */
  String fromPlain(String v4, Shape s) {
    return view5(g.node(OnnxOp.NCHWC_REORDER_INPUT).hint("to_nchwc").in(v4).out(), s);
  }

  /** A blocked activation as a plain NCHW tensor. */
  String toPlain(String v5, Shape s) {
    return g.node(OnnxOp.NCHWC_REORDER_OUTPUT).hint("to_nchw").in(view4(v5, s)).attr("channels", (long) s.dim(0))
        .out();
  }

  /** A per-channel vector {@code [C]} shaped to broadcast over a blocked activation: {@code [1, C/B, 1, 1, B]}. */
  String channelwise(String v, int c) {
    return g.node(OnnxOp.RESHAPE).in(v, g.int64s(1, c / block, 1, 1, block)).out();
  }

  /**
   * An OIHW filter {@code [out, in, k, k]} in the blocked order of a convolution whose input is blocked (OIHWBiBo)
   * or, with {@code in} below B, plain (OIHWBo).
   */
  String filter(String w, int out, int in, int k) {
    long ob = out / block;
    if (in < block) {
      String w5 = g.node(OnnxOp.RESHAPE).in(w, g.int64s(ob, block, in, k, k)).out();
      String t = g.node(OnnxOp.TRANSPOSE).in(w5).ints("perm", 0, 2, 3, 4, 1).out();
      return g.node(OnnxOp.RESHAPE).hint("nchwc_filter").in(t, g.int64s(out, in, k, k)).out();
    }
    String w6 = g.node(OnnxOp.RESHAPE).in(w, g.int64s(ob, block, in / block, block, k, k)).out();
    String t = g.node(OnnxOp.TRANSPOSE).in(w6).ints("perm", 0, 2, 4, 5, 3, 1).out();
    return g.node(OnnxOp.RESHAPE).hint("nchwc_filter").in(t, g.int64s(out, in, k, k)).out();
  }

  /**
   * A square, ungrouped convolution with a {@link #filter blocked filter}; {@code x} is blocked (5-D view) unless
   * {@code plainInput} (a plain NCHW tensor with fewer than B channels). Returns the blocked output.
   *
   * @param bias a [out] bias or null
   * @param addend a blocked activation of shape {@code out} added to the result in the same pass, or null
   */
  String conv(String hint, String x, boolean plainInput, Shape in, String blockedFilter, String bias, String addend,
      Shape out, int k, int stride, int pad) {
    GraphBuilder.Node n = g.node(OnnxOp.NCHWC_CONV).hint(hint).in(plainInput ? x : view4(x, in), blockedFilter);
    if (bias != null || addend != null) {
      n.in(bias == null ? "" : bias); // an empty name leaves the optional input out
    }
    if (addend != null) {
      n.in(view4(addend, out));
    }
    String y = n.ints("kernel_shape", k, k).ints("strides", stride, stride).ints("pads", pad, pad, pad, pad)
        .ints("dilations", 1, 1).attr("group", 1L).out();
    return view5(y, out);
  }

  /**
   * {@code v * scale + bias} per channel, plus {@code addend} when not null, over a blocked activation of shape
   * {@code s}: one pass, as a depthwise 1x1 convolution (ONNX Runtime's BatchNormalization would need NCHW, and Mul
   * then Add take two passes).
   *
   * @param scale [C]
   * @param bias [C], or null for none
   * @param addend a blocked activation of shape {@code s}, or null
   */
  String affine(String hint, String v, Shape s, String scale, String bias, String addend) {
    return affine(hint, v, s, scale, bias, addend, false, null);
  }

  /**
   * As {@link #affine(String, String, Shape, String, String, String)}, followed by a ReLU (applied after the addend)
   * when {@code relu}, in the same pass; the result named {@code name} when not null.
   */
  String affine(String hint, String v, Shape s, String scale, String bias, String addend, boolean relu,
      String name) {
    int c = s.dim(0);
    String w = g.node(OnnxOp.RESHAPE).in(scale, g.int64s(c, 1, 1, 1)).out();
    GraphBuilder.Node n = g.node(OnnxOp.NCHWC_CONV).hint(hint).in(view4(v, s), w);
    if (bias != null || addend != null) {
      n.in(bias == null ? "" : bias); // an empty name leaves the optional input out
    }
    if (addend != null) {
      n.in(view4(addend, s));
    }
    n.ints("kernel_shape", 1, 1).attr("group", (long) c);
    if (relu) {
      n.attr("activation", "Relu");
    }
    return view5(n.out(), s, name);
  }
}
