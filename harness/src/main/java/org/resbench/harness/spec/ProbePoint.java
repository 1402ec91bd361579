package org.resbench.harness.spec;

/**
 * A named place in a model whose value a backend can report ({@code Session.activations}): the output of one
 * layer, the merge of a block ({@code S(x) + g F(x)} before {@code post}), or a block's output. Names:
 * {@code stem/I}, {@code blockB/branch/I}, {@code blockB/shortcut/I}, {@code blockB/merge},
 * {@code blockB/post/I}, {@code blockB} (the block's output) and {@code head/I}, with I the layer's position in
 * its list. Immutable.
 *
 * @param name the probe's name
 * @param layer the layer whose output this is, or null for merges and block outputs
 * @param shape the shape of one example's value
 */
public record ProbePoint(String name, Layer layer, Shape shape) {

  /** Whether this is the output of a ReLU (where unit activity is read). */
  public boolean isRelu() {
    return layer instanceof Relu;
  }

  /** Whether this is a whole block's output. */
  public boolean isBlockOutput() {
    return layer == null && !name.endsWith("/merge");
  }
}
