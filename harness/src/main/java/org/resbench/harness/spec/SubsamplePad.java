package org.resbench.harness.spec;

/**
 * The option-A shortcut of He et al. 2016: keep every {@code stride}-th row and column starting at 0
 * ({@code x[:, :, ::s, ::s]}), then append {@code outChannels - inChannels} zero channels after the input's
 * channels. It has no parameters, so plain and residual nets have identical parameter counts.
 */
public record SubsamplePad(int inChannels, int outChannels, int stride) implements Layer {

  public SubsamplePad {
    Layer.requirePositive("SubsamplePad", "inChannels", inChannels);
    Layer.requirePositive("SubsamplePad", "stride", stride);
    if (outChannels < inChannels) {
      throw new IllegalArgumentException("SubsamplePad: outChannels=" + outChannels + " < inChannels=" + inChannels
          + "; allowed: outChannels >= inChannels");
    }
  }

  @Override
  public Shape outputShape(Shape in) {
    Layer.requireInput("SubsamplePad", in, 3, inChannels, inChannels + "xHxW");
    return Shape.of(outChannels, (in.dim(1) - 1) / stride + 1, (in.dim(2) - 1) / stride + 1);
  }

  @Override
  public String canonical() {
    return "subsamplepad(" + inChannels + "," + outChannels + ",s" + stride + ")";
  }
}
