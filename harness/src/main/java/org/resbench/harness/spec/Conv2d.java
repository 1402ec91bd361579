package org.resbench.harness.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution over NCHW input with square kernels, symmetric zero padding and optional groups
 * (cross-correlation, as in ONNX and PyTorch). Weight shape {@code [out, in/groups, k, k]}.
 */
public record Conv2d(String name, int inChannels, int outChannels, int kernel, int stride, int padding,
    int groups, boolean bias) implements Layer {

  public Conv2d {
    String id = "Conv2d '" + name + "'";
    Layer.requirePositive(id, "inChannels", inChannels);
    Layer.requirePositive(id, "outChannels", outChannels);
    Layer.requirePositive(id, "kernel", kernel);
    Layer.requirePositive(id, "stride", stride);
    Layer.requirePositive(id, "groups", groups);
    if (padding < 0) {
      throw new IllegalArgumentException(id + ": padding=" + padding + "; allowed: 0 or more");
    }
    if (inChannels % groups != 0) {
      throw new IllegalArgumentException(id + ": inChannels=" + inChannels + " is not divisible by groups="
          + groups + "; allowed: a multiple of groups");
    }
    if (outChannels % groups != 0) {
      throw new IllegalArgumentException(id + ": outChannels=" + outChannels + " is not divisible by groups="
          + groups + "; allowed: a multiple of groups");
    }
  }

  /** A bias-free convolution with one group, as ResNets use before BatchNorm. */
  public static Conv2d of(String name, int in, int out, int kernel, int stride, int padding) {
    return new Conv2d(name, in, out, kernel, stride, padding, 1, false);
  }

  public int outputSize(int inputSize) {
    // long arithmetic: a huge size or padding must not wrap round to a small or negative one
    long out = ((long) inputSize + 2L * padding - kernel) / stride + 1;
    if (out > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Conv2d '" + name + "': output size " + out + " is too large; allowed: at"
          + " most " + Integer.MAX_VALUE);
    }
    return (int) Math.max(out, 0);
  }

  @Override
  public Shape outputShape(Shape in) {
    Layer.requireInput("Conv2d '" + name + "'", in, 3, inChannels, inChannels + "xHxW");
    int h = outputSize(in.dim(1));
    int w = outputSize(in.dim(2));
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException("Conv2d '" + name + "': input " + in + " is smaller than the kernel "
          + kernel + " with padding " + padding + "; allowed: spatial size >= kernel - 2*padding");
    }
    return Shape.of(outChannels, h, w);
  }

  public int fanIn() {
    long f = (long) (inChannels / groups) * kernel * kernel;
    if (f > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Conv2d '" + name + "': inChannels/groups x kernel x kernel = " + f
          + " is too large; allowed: at most " + Integer.MAX_VALUE);
    }
    return (int) f;
  }

  @Override
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> p = new ArrayList<>(2);
    p.add(new ParameterSpec(name + ".weight", Shape.of(outChannels, inChannels / groups, kernel, kernel),
        ParameterSpec.Role.CONV_WEIGHT, fanIn()));
    if (bias) {
      p.add(new ParameterSpec(name + ".bias", Shape.of(outChannels), ParameterSpec.Role.BIAS, fanIn()));
    }
    return p;
  }

  @Override
  public long macs(Shape in) {
    Shape out = outputShape(in);
    return MemoryEstimate.saturatingMultiply(MemoryEstimate.saturatingMultiply((long) out.dim(1) * out.dim(2),
        outChannels), fanIn());
  }

  @Override
  public String canonical() {
    return "conv(" + name + "," + inChannels + "," + outChannels + ",k" + kernel + ",s" + stride + ",p" + padding
        + ",g" + groups + (bias ? ",bias" : "") + ")";
  }
}
