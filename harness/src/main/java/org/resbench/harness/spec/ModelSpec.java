package org.resbench.harness.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A whole network: {@code head(blocks(stem(x)))}, the single source of truth every backend translates.
 * Immutable and thread-safe; validated at construction (shapes flow, names are unique, every block index
 * equals its position).
 *
 * <p>The output is {@code [N, outputs]}: logits for classifiers, the raw output for the MLP study.
 */
public final class ModelSpec {
  private final String name;
  private final Family family;
  private final Shape inputShape;
  private final List<Layer> stem;
  private final List<Block> blocks;
  private final List<Layer> head;
  private final InitScheme init;
  private final List<ParameterSpec> parameters;
  private final List<Shape> blockInputShapes;
  private final Shape outputShape;
  private final long macs;
  private final String hash;

  public ModelSpec(String name, Family family, Shape inputShape, List<Layer> stem, List<Block> blocks,
      List<Layer> head, InitScheme init) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("spec name: must not be blank");
    }
    this.name = name;
    this.family = family;
    this.inputShape = inputShape;
    this.stem = List.copyOf(stem);
    this.blocks = List.copyOf(blocks);
    this.head = List.copyOf(head);
    this.init = init;
    for (int i = 0; i < this.blocks.size(); i++) {
      if (this.blocks.get(i).index() != i) {
        throw new IllegalArgumentException("spec '" + name + "': block at position " + i + " has index "
            + this.blocks.get(i).index() + "; allowed: index equal to position");
      }
    }
    // Shapes and costs follow the data through the network once.
    Shape s = inputShape;
    long m = Sequence.macs(this.stem, s);
    s = Sequence.outputShape(this.stem, s);
    List<Shape> blockIn = new ArrayList<>();
    for (Block b : this.blocks) {
      blockIn.add(s);
      m += Sequence.macs(b.branch(), s) + Sequence.macs(b.shortcut(), s) + Sequence.macs(b.post(), b.outputShape(s));
      s = b.outputShape(s);
    }
    m += Sequence.macs(this.head, s);
    s = Sequence.outputShape(this.head, s);
    if (s.rank() != 1) {
      throw new IllegalArgumentException("spec '" + name + "': output shape " + s
          + " per example; allowed: a vector (end the head with GlobalAvgPool/Flatten and Linear)");
    }
    this.outputShape = s;
    this.blockInputShapes = List.copyOf(blockIn);
    this.macs = m;
    this.parameters = List.copyOf(collectParameters());
    this.hash = sha256(canonical()).substring(0, 16);
  }

  private List<ParameterSpec> collectParameters() {
    List<ParameterSpec> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Layer l : allLayers()) {
      for (ParameterSpec p : l.parameters()) {
        if (!seen.add(p.name())) {
          throw new IllegalArgumentException("spec '" + name + "': parameter name '" + p.name()
              + "' is used twice; allowed: unique layer names");
        }
        out.add(p);
      }
    }
    return out;
  }

  /** Every probe point in execution order (see {@link ProbePoint} for the names). */
  public List<ProbePoint> probePoints() {
    List<ProbePoint> out = new ArrayList<>();
    Shape s = addProbes(out, "stem/", stem, inputShape);
    for (Block b : blocks) {
      Shape f = addProbes(out, b.name() + "/branch/", b.branch(), s);
      addProbes(out, b.name() + "/shortcut/", b.shortcut(), s);
      out.add(new ProbePoint(b.name() + "/merge", null, f));
      Shape y = addProbes(out, b.name() + "/post/", b.post(), f);
      out.add(new ProbePoint(b.name(), null, y));
      s = y;
    }
    addProbes(out, "head/", head, s);
    return out;
  }

  /** The probe point with this name, or an {@link IllegalArgumentException}. */
  public ProbePoint probePoint(String name) {
    return probePoints().stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("spec '" + this.name + "' has no probe point '" + name
            + "'; allowed: names like stem/0, block0/branch/2, block0/merge, block0, head/0"));
  }

  private static Shape addProbes(List<ProbePoint> out, String prefix, List<Layer> layers, Shape in) {
    Shape s = in;
    for (int i = 0; i < layers.size(); i++) {
      s = layers.get(i).outputShape(s);
      out.add(new ProbePoint(prefix + i, layers.get(i), s));
    }
    return s;
  }

  /** Every layer in execution order: stem, then per block branch, shortcut and post, then head. */
  public List<Layer> allLayers() {
    List<Layer> all = new ArrayList<>(stem);
    for (Block b : blocks) {
      all.addAll(b.branch());
      all.addAll(b.shortcut());
      all.addAll(b.post());
    }
    all.addAll(head);
    return all;
  }

  public String name() {
    return name;
  }

  public Family family() {
    return family;
  }

  /** The shape of one input example. */
  public Shape inputShape() {
    return inputShape;
  }

  /** The number of outputs per example (classes, or 1 for a scalar-output MLP). */
  public int outputs() {
    return outputShape.dim(0);
  }

  public List<Layer> stem() {
    return stem;
  }

  public List<Block> blocks() {
    return blocks;
  }

  public List<Layer> head() {
    return head;
  }

  public InitScheme init() {
    return init;
  }

  /** The shape entering block {@code index}. */
  public Shape blockInputShape(int index) {
    return blockInputShapes.get(index);
  }

  /** All parameters and buffers, in execution order. */
  public List<ParameterSpec> parameters() {
    return parameters;
  }

  /** Trainable parameters only, in execution order. */
  public List<ParameterSpec> trainableParameters() {
    return parameters.stream().filter(ParameterSpec::trainable).toList();
  }

  /** BatchNorm running statistics only, in execution order. */
  public List<ParameterSpec> buffers() {
    return parameters.stream().filter(p -> !p.trainable()).toList();
  }

  /** Trainable parameter count, as the papers count it (BN scale and shift included, running stats not). */
  public long parameterCount() {
    return trainableParameters().stream().mapToLong(p -> p.shape().size()).sum();
  }

  /** Multiply-accumulates per example in convolutions and linear layers. */
  public long macs() {
    return macs;
  }

  /** Stochastic depth's survival probabilities, one per block. */
  public double[] survivalProbabilities() {
    return blocks.stream().mapToDouble(Block::survivalProbability).toArray();
  }

  /**
   * The expected number of blocks that run in a training step, {@code Σ p_b} over the blocks' survival
   * probabilities: all blocks without stochastic depth; {@code (3L - 1) / 4} for Huang et al.'s linear decay to
   * p_L = 0.5 over L blocks.
   */
  public double expectedActiveBlocks() {
    double s = 0;
    for (Block b : blocks) {
      s += b.survivalProbability();
    }
    return s;
  }

  /** Counts weighted layers (convolutions and linear layers) outside shortcuts: the "depth" of the papers. */
  public int weightedDepth() {
    int n = countWeighted(stem) + countWeighted(head);
    for (Block b : blocks) {
      n += countWeighted(b.branch()) + countWeighted(b.post());
    }
    return n;
  }

  private static int countWeighted(List<Layer> layers) {
    return (int) layers.stream().filter(l -> l instanceof Conv2d || l instanceof Linear).count();
  }

  /** The text the hash is taken of: every structural field and the init scheme, but not the name. */
  public String canonical() {
    StringBuilder sb = new StringBuilder("resbench-spec-v1|in=").append(inputShape).append("|stem[")
        .append(Sequence.canonical(stem)).append("]");
    for (Block b : blocks) {
      sb.append('|').append(b.canonical());
    }
    sb.append("|head[").append(Sequence.canonical(head)).append("]|").append(init.canonical());
    return sb.toString();
  }

  /** A stable content hash (16 hex digits of SHA-256 over {@link #canonical()}). */
  public String hash() {
    return hash;
  }

  private static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec other && name.equals(other.name) && hash.equals(other.hash)
        && canonical().equals(other.canonical());
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return name + " (" + hash + ")";
  }
}
