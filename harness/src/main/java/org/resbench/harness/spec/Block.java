package org.resbench.harness.spec;

import java.util.List;

/**
 * One addressable block: what gates, lesions, path masks and stochastic depth refer to by {@link #index}.
 * Immutable and thread-safe.
 *
 * <p>Canonical semantics, with gate {@code g} (an input to every forward pass, see
 * {@code org.resbench.harness.backend.BlockGates}) and {@code S} the shortcut (identity when empty):
 * <ul>
 *   <li>residual block: {@code y = post(S(x) + g * F(x))};
 *   <li>plain block: {@code y = post((1 - g) * S(x) + g * F(x))}, so at {@code g = 1} it is the plain layer
 *       stack and at {@code g = 0} (a lesion) it becomes its shortcut, the identity bypass.
 * </ul>
 * {@code F} is {@link #branch}, {@code post} is {@link #post}; both are applied as layer sequences.
 *
 * @param index position in the model, 0-based
 * @param name prefix of every layer name inside the block, e.g. {@code block3}
 * @param kind what the block is built like (descriptive)
 * @param residual whether the shortcut is added (residual) or only used as the lesion bypass (plain)
 * @param branch the residual function F
 * @param shortcut empty for identity; {@link SubsamplePad} for option A; 1x1 conv + BN for option B
 * @param post applied after the merge, usually a ReLU (may be empty)
 * @param survivalProbability stochastic depth's p_b; 1 for blocks that are never dropped
 */
public record Block(int index, String name, Kind kind, boolean residual, List<Layer> branch, List<Layer> shortcut,
    List<Layer> post, double survivalProbability) {

  /** How a block is built: for display and filtering only; semantics come from the layers. */
  public enum Kind {
    BASIC, BOTTLENECK, GROUPED_BOTTLENECK, MLP
  }

  public Block {
    if (index < 0) {
      throw new IllegalArgumentException("block index=" + index + "; allowed: 0 or more");
    }
    if (branch.isEmpty()) {
      throw new IllegalArgumentException("block " + index + ": branch is empty; allowed: at least one layer");
    }
    if (!(survivalProbability > 0 && survivalProbability <= 1)) {
      throw new IllegalArgumentException("block " + index + ": survivalProbability=" + survivalProbability
          + "; allowed: (0, 1]");
    }
    branch = List.copyOf(branch);
    shortcut = List.copyOf(shortcut);
    post = List.copyOf(post);
  }

  /** Whether the block changes its input's shape (its shortcut is not the identity). */
  public boolean downsamples() {
    return !shortcut.isEmpty();
  }

  /** The output shape; rejects blocks whose branch and shortcut disagree. */
  public Shape outputShape(Shape in) {
    Shape f = Sequence.outputShape(branch, in);
    Shape s = Sequence.outputShape(shortcut, in);
    if (!f.equals(s)) {
      throw new IllegalArgumentException("block " + index + " (" + name + "): branch output " + f
          + " differs from shortcut output " + s + "; allowed: equal shapes (add a projection or option-A shortcut)");
    }
    return Sequence.outputShape(post, f);
  }

  public String canonical() {
    return "block(" + index + "," + name + "," + kind + "," + (residual ? "res" : "plain") + ",p" + survivalProbability
        + ",F[" + Sequence.canonical(branch) + "],S[" + Sequence.canonical(shortcut) + "],post["
        + Sequence.canonical(post) + "])";
  }
}
