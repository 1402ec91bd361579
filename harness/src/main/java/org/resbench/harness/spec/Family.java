package org.resbench.harness.spec;

/** The model families resbench builds; {@link SpecNames} documents the name of each. */
public enum Family {
  /** He et al. 2016 CIFAR layout without shortcuts (6n+2 layers). */
  PLAIN("plain"),
  /** He et al. 2016 CIFAR ResNet with basic blocks (6n+2 layers). */
  RESNET("resnet"),
  /** ResNet with bottleneck blocks (9n+2 layers). */
  RESNET_BOTTLENECK("resnet-bottleneck"),
  /** Huang et al. 2016: CIFAR ResNet with linearly decaying survival probabilities. */
  STOCHASTIC_DEPTH("resnet-sd"),
  /** Xie et al. 2017: bottleneck blocks with a grouped 3x3 convolution (9n+2 layers, ResNeXt-29 for n=3). */
  RESNEXT("resnext"),
  /** Fully connected nets for the shattered-gradients study (Balduzzi et al. 2017). */
  MLP("mlp"),
  /** Built by hand rather than by a factory. */
  CUSTOM("custom");

  private final String label;

  Family(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
