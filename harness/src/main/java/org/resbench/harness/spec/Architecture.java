package org.resbench.harness.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A family's parameters, validated at construction, that {@link #build() build} a {@link ModelSpec}.
 * Each record carries the papers' defaults; {@link SpecNames} turns records into names and back.
 * Immutable and thread-safe.
 */
public sealed interface Architecture {

  /** The default CIFAR input and class count. */
  Shape CIFAR_INPUT = Shape.of(3, 32, 32);
  int CIFAR_CLASSES = 10;

  /** The canonical name ({@link SpecNames#format}). */
  default String name() {
    return SpecNames.format(this);
  }

  /**
   * Builds the spec, after {@link MemoryEstimate#requireBuildable checking} that its {@link #blockCount() blocks}
   * fit in memory at all.
   */
  ModelSpec build();

  /** The number of blocks the spec will have, known without building it. */
  long blockCount();

  /** Shortcuts where a block changes shape (He et al. 2016). */
  enum Shortcut {
    /** Strided subsample plus zero-padded channels: no parameters (the paper's CIFAR default). */
    A,
    /** 1x1 strided convolution plus BatchNorm (projection). */
    B
  }

  /**
   * He et al. 2016's CIFAR layout with basic blocks: 3x3 stem with 16 filters, three stages of n blocks at
   * 16/32/64 filters on 32/16/8 maps, global average pooling, a linear classifier: 6n+2 weighted layers.
   * With {@code finalSurvival < 1} it is Huang et al. 2016's stochastic-depth ResNet with linear decay
   * {@code p_l = 1 - (l / L)(1 - p_L)}.
   *
   * @param depth 6n+2 with n >= 1
   * @param residual false for the plain net (its downsampling blocks' lesion bypass is option A)
   * @param shortcut option A or B (residual nets only)
   * @param finalSurvival p_L in (0, 1]; 1 means no stochastic depth
   */
  record CifarResNet(int depth, boolean residual, Shortcut shortcut, double finalSurvival, Shape input, int classes)
      implements Architecture {
    public CifarResNet {
      requireDepth("depth", depth, 6, "8, 14, 20, 26, 32, 44, 56, 110 (6n+2)");
      if (!(finalSurvival > 0 && finalSurvival <= 1)) {
        throw new IllegalArgumentException("finalSurvival (p_L)=" + finalSurvival + "; allowed: (0, 1], e.g. 0.5");
      }
      if (!residual && finalSurvival != 1) {
        throw new IllegalArgumentException("finalSurvival=" + finalSurvival
            + " on a plain net; allowed: stochastic depth on residual nets only");
      }
      if (!residual && shortcut == Shortcut.B) {
        throw new IllegalArgumentException("shortcut=B on a plain net; allowed: A (plain nets have no projections)");
      }
      requireImage(input);
      requirePositive("classes", classes);
    }

    /** The paper's CIFAR-10 ResNet with option-A shortcuts. */
    public static CifarResNet resnet(int depth) {
      return new CifarResNet(depth, true, Shortcut.A, 1.0, CIFAR_INPUT, CIFAR_CLASSES);
    }

    /** The plain counterpart with the same layers and parameter count. */
    public static CifarResNet plain(int depth) {
      return new CifarResNet(depth, false, Shortcut.A, 1.0, CIFAR_INPUT, CIFAR_CLASSES);
    }

    /** Stochastic depth with linear decay to {@code finalSurvival}. */
    public static CifarResNet stochasticDepth(int depth, double finalSurvival) {
      return new CifarResNet(depth, true, Shortcut.A, finalSurvival, CIFAR_INPUT, CIFAR_CLASSES);
    }

    public CifarResNet withInput(Shape in, int k) {
      return new CifarResNet(depth, residual, shortcut, finalSurvival, in, k);
    }

    public int blocksPerStage() {
      return (depth - 2) / 6;
    }

    @Override
    public long blockCount() {
      return 3L * blocksPerStage();
    }

    @Override
    public ModelSpec build() {
      MemoryEstimate.requireBuildable(name(), blockCount());
      int n = blocksPerStage();
      int total = 3 * n;
      List<Block> blocks = new ArrayList<>();
      int in = 16;
      for (int stage = 0; stage < 3; stage++) {
        int out = 16 << stage;
        for (int j = 0; j < n; j++) {
          int idx = blocks.size();
          int stride = (stage > 0 && j == 0) ? 2 : 1;
          String p = "block" + idx;
          List<Layer> branch = List.of(
              Conv2d.of(p + ".conv1", in, out, 3, stride, 1), BatchNorm.of(p + ".bn1", out), new Relu(),
              Conv2d.of(p + ".conv2", out, out, 3, 1, 1), BatchNorm.of(p + ".bn2", out));
          double survival = 1.0 - (idx + 1.0) / total * (1.0 - finalSurvival);
          blocks.add(new Block(idx, p, Block.Kind.BASIC, residual, branch,
              shortcutLayers(p, in, out, stride, shortcut), List.of(new Relu()), survival));
          in = out;
        }
      }
      return new ModelSpec(name(), family(), input, stem(input.dim(0), 16), blocks, classifier(64, classes),
          InitScheme.DEFAULT);
    }

    private Family family() {
      if (!residual) {
        return Family.PLAIN;
      }
      return finalSurvival < 1 ? Family.STOCHASTIC_DEPTH : Family.RESNET;
    }
  }

  /**
   * ResNet with bottleneck blocks (1x1, 3x3, 1x1, expansion 4) in the CIFAR layout: 16-filter stem, three
   * stages of n blocks with bottleneck widths 16/32/64 and outputs 64/128/256: 9n+2 weighted layers
   * (ResNet-164 for n = 18). Projections where channels change (option B by default).
   */
  record BottleneckResNet(int depth, Shortcut shortcut, Shape input, int classes) implements Architecture {
    public BottleneckResNet {
      requireDepth("depth", depth, 9, "11, 20, 29, 56, 110, 164 (9n+2)");
      requireImage(input);
      requirePositive("classes", classes);
    }

    public static BottleneckResNet of(int depth) {
      return new BottleneckResNet(depth, Shortcut.B, CIFAR_INPUT, CIFAR_CLASSES);
    }

    @Override
    public long blockCount() {
      return 3L * ((depth - 2) / 9);
    }

    @Override
    public ModelSpec build() {
      MemoryEstimate.requireBuildable(name(), blockCount());
      int n = (depth - 2) / 9;
      List<Block> blocks = bottleneckStages(n, 16, new int[] {16, 32, 64}, new int[] {64, 128, 256}, 1, shortcut);
      return new ModelSpec(name(), Family.RESNET_BOTTLENECK, input, stem(input.dim(0), 16), blocks,
          classifier(256, classes), InitScheme.DEFAULT);
    }
  }

  /**
   * ResNeXt in the CIFAR layout of Xie et al. 2017 (ResNeXt-29 for n = 3): 64-filter 3x3 stem, three stages
   * of n blocks with outputs 256/512/1024; each block is 1x1 -> grouped 3x3 (C groups) -> 1x1, with
   * bottleneck width {@code C * d * 2^stage}; projection shortcuts where channels change.
   *
   * @param cardinality C, the number of groups
   * @param width d, the width of one group at the first stage
   */
  record ResNeXt(int depth, int cardinality, int width, Shape input, int classes) implements Architecture {
    public ResNeXt {
      requireDepth("depth", depth, 9, "11, 20, 29 (9n+2)");
      requirePositive("cardinality", cardinality);
      requirePositive("width", width);
      if ((long) cardinality * width * 4 > Integer.MAX_VALUE / 9) {
        throw new IllegalArgumentException("cardinality x width = " + ((long) cardinality * width) + " is too large;"
            + " allowed: at most " + Integer.MAX_VALUE / 36 + " (the last stage is 4 C d wide)");
      }
      requireImage(input);
      requirePositive("classes", classes);
    }

    public static ResNeXt of(int cardinality, int width) {
      return new ResNeXt(29, cardinality, width, CIFAR_INPUT, CIFAR_CLASSES);
    }

    @Override
    public long blockCount() {
      return 3L * ((depth - 2) / 9);
    }

    @Override
    public ModelSpec build() {
      MemoryEstimate.requireBuildable(name(), blockCount());
      int n = (depth - 2) / 9;
      int cd = cardinality * width;
      List<Block> blocks = bottleneckStages(n, 64, new int[] {cd, 2 * cd, 4 * cd}, new int[] {256, 512, 1024},
          cardinality, Shortcut.B);
      return new ModelSpec(name(), Family.RESNEXT, input, stem(input.dim(0), 64), blocks, classifier(1024, classes),
          InitScheme.DEFAULT);
    }
  }

  /**
   * Fully connected nets for the shattered-gradients study (Balduzzi et al. 2017): a linear stem to
   * {@code width} units, {@code depth} blocks of one {@code width x width} linear layer each, a linear head.
   * Pre-activation blocks are {@code h <- W relu(BN(h))} (feedforward) and {@code h <- h + W relu(BN(h))}
   * (residual), the head {@code W relu(BN(h))}; post-activation blocks are {@code h <- relu(BN(W h))} and
   * {@code h <- relu(h + BN(W h))}. Without BN the BN layers are left out. Linear layers have biases, drawn
   * by {@code biases} (zero by default).
   */
  record Mlp(int depth, int width, boolean residual, boolean batchNorm, boolean preActivation,
      InitScheme.BiasInit biases, InitScheme.WeightInit weights, Shape input, int outputs) implements Architecture {
    public Mlp {
      requirePositive("depth", depth);
      requirePositive("width", width);
      requirePositive("outputs", outputs);
      if (input == null || biases == null || weights == null) {
        throw new IllegalArgumentException("mlp: input, biases and weights are required");
      }
    }

    /** Scalar in, scalar out, pre-activation, He-normal weights, zero biases. */
    public static Mlp of(int depth, int width, boolean residual, boolean batchNorm) {
      return new Mlp(depth, width, residual, batchNorm, true, new InitScheme.BiasInit.Zero(),
          new InitScheme.WeightInit.HeNormal(), Shape.of(1), 1);
    }

    @Override
    public long blockCount() {
      return depth;
    }

    @Override
    public ModelSpec build() {
      MemoryEstimate.requireBuildable(name(), blockCount());
      List<Layer> stem = new ArrayList<>();
      if (input.rank() > 1) {
        stem.add(new Flatten());
      }
      stem.add(new Linear("stem.fc", input.size(), width, true));
      if (!preActivation) {
        if (batchNorm) {
          stem.add(BatchNorm.of("stem.bn", width));
        }
        stem.add(new Relu());
      }
      List<Block> blocks = new ArrayList<>();
      for (int i = 0; i < depth; i++) {
        String p = "block" + i;
        List<Layer> branch = new ArrayList<>();
        List<Layer> post = new ArrayList<>();
        if (preActivation) {
          if (batchNorm) {
            branch.add(BatchNorm.of(p + ".bn", width));
          }
          branch.add(new Relu());
          branch.add(new Linear(p + ".fc", width, width, true));
        } else {
          branch.add(new Linear(p + ".fc", width, width, true));
          if (batchNorm) {
            branch.add(BatchNorm.of(p + ".bn", width));
          }
          post.add(new Relu());
        }
        blocks.add(new Block(i, p, Block.Kind.MLP, residual, branch, List.of(), post, 1.0));
      }
      List<Layer> head = new ArrayList<>();
      if (preActivation) {
        if (batchNorm) {
          head.add(BatchNorm.of("head.bn", width));
        }
        head.add(new Relu());
      }
      head.add(new Linear("head.fc", width, outputs, true));
      InitScheme init = new InitScheme(weights, weights, biases);
      return new ModelSpec(name(), Family.MLP, input, stem, blocks, head, init);
    }
  }

  // ---- shared builders ----

  private static List<Layer> stem(int inChannels, int filters) {
    return List.of(Conv2d.of("stem.conv", inChannels, filters, 3, 1, 1), BatchNorm.of("stem.bn", filters), new Relu());
  }

  private static List<Layer> classifier(int features, int classes) {
    return List.of(new GlobalAvgPool(), new Linear("head.fc", features, classes, true));
  }

  private static List<Layer> shortcutLayers(String prefix, int in, int out, int stride, Shortcut option) {
    if (in == out && stride == 1) {
      return List.of();
    }
    if (option == Shortcut.A) {
      return List.of(new SubsamplePad(in, out, stride));
    }
    return List.of(Conv2d.of(prefix + ".shortcut.conv", in, out, 1, stride, 0), BatchNorm.of(prefix + ".shortcut.bn",
        out));
  }

  private static List<Block> bottleneckStages(int n, int stemFilters, int[] widths, int[] outs, int groups,
      Shortcut option) {
    List<Block> blocks = new ArrayList<>();
    int in = stemFilters;
    for (int stage = 0; stage < 3; stage++) {
      int w = widths[stage];
      int out = outs[stage];
      if (w % groups != 0) {
        throw new IllegalArgumentException("bottleneck width " + w + " at stage " + stage
            + " is not divisible by cardinality " + groups + "; allowed: a multiple of the cardinality");
      }
      for (int j = 0; j < n; j++) {
        int idx = blocks.size();
        int stride = (stage > 0 && j == 0) ? 2 : 1;
        String p = "block" + idx;
        List<Layer> branch = List.of(
            Conv2d.of(p + ".conv1", in, w, 1, 1, 0), BatchNorm.of(p + ".bn1", w), new Relu(),
            new Conv2d(p + ".conv2", w, w, 3, stride, 1, groups, false), BatchNorm.of(p + ".bn2", w), new Relu(),
            Conv2d.of(p + ".conv3", w, out, 1, 1, 0), BatchNorm.of(p + ".bn3", out));
        blocks.add(new Block(idx, p, groups > 1 ? Block.Kind.GROUPED_BOTTLENECK : Block.Kind.BOTTLENECK, true,
            branch, shortcutLayers(p, in, out, stride, option), List.of(new Relu()), 1.0));
        in = out;
      }
    }
    return blocks;
  }

  private static void requireDepth(String field, int depth, int per, String examples) {
    if (depth < per + 2 || (depth - 2) % per != 0) {
      throw new IllegalArgumentException(field + "=" + depth + " is not of the form " + per
          + "n+2 with n >= 1; allowed: "
          + examples);
    }
  }

  private static void requirePositive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + "=" + value + "; allowed: a positive integer");
    }
  }

  private static void requireImage(Shape input) {
    if (input == null || input.rank() != 3) {
      throw new IllegalArgumentException("input=" + input + "; allowed: an image shape CxHxW, e.g. 3x32x32 or 1x28x28");
    }
  }
}
