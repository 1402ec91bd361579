package org.resbench.backend.ort.onnx;

/**
 * What a generated graph is specialised for; it changes how a graph computes, never what. Immutable.
 *
 * <p>{@link #PORTABLE}: standard ONNX operators in their plain form, for any runtime (exported models, ONNX
 * Runtime's CUDA provider). {@link #ortCpu}: ONNX Runtime's CPU provider, where two things measured faster:
 * spatial activations in its channel-blocked layout ({@link NchwcLayout}; used where the spec and graph allow it,
 * {@link SpecGraphs#usesNchwc}), and, in training-step graphs, weight gradients of layers with large patches
 * ({@link SpecGraphs#MIN_SLICED_PATCH_BYTES} per image) formed over {@code weightGradientChunks} slices of the batch
 * and summed, so that each slice's patch tensors (three times the
 * size of the activation they come from) are still in the cache when the MatMul reads them: about 20% less time for
 * the weight gradients of ResNet-20's 3x3 layers at batch 128 with 8 or 16 slices, 9% of a training step. Slicing
 * multiplies the weight-gradient nodes, and ONNX Runtime's session creation grows about quadratically with the node
 * count (ResNet-20's training step: 0.23 s whole-batch, 0.67 s in 8 slices), so gradient graphs, built for many small
 * experiments, keep whole-batch weight gradients.
 *
 * <p>{@code conditionalBlocks} (every target by default): in a training step with gates, each block whose post is at
 * most a ReLU runs its branch, forward and backward, inside an ONNX {@code If} on {@code gate != 0}, so a block that
 * stochastic depth drops costs a pass or two instead of its whole branch.
 *
 * @param nchwcBlock the block size of ONNX Runtime's NCHWc kernels on this machine, 0 for plain NCHW
 * @param weightGradientChunks how many batch slices a training step's weight gradients are summed over (1: the whole
 *     batch at once)
 * @param conditionalBlocks whether a gated training step skips the branches of blocks whose gate is 0
 */
public record GraphTarget(int nchwcBlock, int weightGradientChunks, boolean conditionalBlocks) {
  /** Standard operators, whole-batch weight gradients. */
  public static final GraphTarget PORTABLE = new GraphTarget(0, 1, true);

  /** Batch slices of a weight gradient on ONNX Runtime's CPU provider: 16 images each at batch 128. */
  static final int CPU_WEIGHT_GRADIENT_CHUNKS = 8;

  public GraphTarget {
    if (nchwcBlock < 0 || weightGradientChunks < 1) {
      throw new IllegalArgumentException("graph target: nchwcBlock=" + nchwcBlock + ", weightGradientChunks="
          + weightGradientChunks + "; allowed: nchwcBlock >= 0 (0 = plain NCHW), weightGradientChunks >= 1");
    }
  }

  /** ONNX Runtime's CPU provider whose NCHWc kernels have block size {@code nchwcBlock} (0: none available). */
  public static GraphTarget ortCpu(int nchwcBlock) {
    return new GraphTarget(nchwcBlock, CPU_WEIGHT_GRADIENT_CHUNKS, true);
  }

  /** This target with weight gradients summed over {@code chunks} batch slices (1: the whole batch at once). */
  public GraphTarget withWeightGradientChunks(int chunks) {
    return new GraphTarget(nchwcBlock, chunks, conditionalBlocks);
  }

  /** This target with {@code conditionalBlocks} set as given (for measurements and tests). */
  public GraphTarget withConditionalBlocks(boolean on) {
    return new GraphTarget(nchwcBlock, weightGradientChunks, on);
  }
}
