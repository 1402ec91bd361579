package org.resbench.experiments.lesion;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Session;
import org.resbench.harness.data.LabeledDataset;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.harness.train.Evaluator;

/**
 * Lesion studies at test time (Veit et al. 2016, Fig. 3-5; Huang et al. 2016): the test error of a trained net
 * with blocks deleted. Deleting block b sets its gate to 0, so a residual block passes its shortcut only
 * ({@code y = post(S(x))}) and a plain block becomes its shortcut (identity bypass): the same lesion is defined
 * for plain nets. Every other block keeps its inference gate ({@link BlockGates#inference}: 1, or the survival
 * probability of a stochastic-depth net). Shared by the experiments that delete blocks. Stateless.
 */
public final class Lesions {
  private Lesions() {}

  /** Evaluation batch size of lesion studies. */
  static final int BATCH = 250;

  /**
   * The error of the whole net and with each single block deleted.
   *
   * @param session the trained net (BatchNorm in inference mode)
   * @param test the examples the error is measured on
   * @return per block, in order
   */
  public static SingleBlock singleBlock(Session session, LabeledDataset test) {
    ModelSpec spec = session.spec();
    BlockGates base = BlockGates.inference(spec);
    double whole = error(session, test, base);
    double[] errors = new double[spec.blocks().size()];
    boolean[] downsampling = new boolean[errors.length];
    for (Block b : spec.blocks()) {
      errors[b.index()] = error(session, test, BlockGates.lesion(base, b.index()));
      downsampling[b.index()] = b.downsamples();
    }
    return new SingleBlock(whole, errors, downsampling);
  }

  /**
   * The error with {@code k} blocks deleted at random, {@code draws} times for each k in {@code ks} (each draw
   * from the stream (seed, "lesion/k/draw"), so every backend deletes the same blocks).
   */
  public static List<RandomDeletions> randomDeletions(Session session, LabeledDataset test, List<Integer> ks,
      int draws, long seed) {
    ModelSpec spec = session.spec();
    int n = spec.blocks().size();
    BlockGates base = BlockGates.inference(spec);
    List<RandomDeletions> out = new ArrayList<>();
    for (int k : ks) {
      if (k < 1 || k > n) {
        throw new IllegalArgumentException("lesion k=" + k + " for '" + spec.name() + "' with " + n + " blocks;"
            + " allowed: 1.." + n);
      }
      double[] errors = new double[draws];
      for (int d = 0; d < draws; d++) {
        errors[d] = error(session, test, BlockGates.lesion(base, choose(n, k, Rngs.stream(seed, "lesion/" + k + "/"
            + d))));
      }
      out.add(new RandomDeletions(k, errors));
    }
    return out;
  }

  /**
   * The error with {@code k} random pairs of same-shape blocks swapped (Veit et al. 2016, Fig. 5b: reordering),
   * {@code draws} times for each k in {@code ks}: each draw takes k distinct pairs of {@link #swappablePairs} at
   * random (the stream (seed, "swap/k/draw"), so every backend swaps the same blocks) and exchanges the two blocks'
   * parameters and BatchNorm statistics pair after pair (a block may move twice), by loading the permuted state
   * into {@code session}. Gates stay with the positions (inference gates). The session's state is restored at the
   * end.
   *
   * @throws IllegalArgumentException if a k is below 1 or above the number of swappable pairs
   */
  public static List<RandomSwaps> randomSwaps(Session session, LabeledDataset test, List<Integer> ks, int draws,
      long seed) {
    ModelSpec spec = session.spec();
    List<int[]> pairs = swappablePairs(spec);
    for (int k : ks) {
      if (k < 1 || k > pairs.size()) {
        throw new IllegalArgumentException("swap k=" + k + " for '" + spec.name() + "' with " + pairs.size()
            + " pairs of same-shape blocks; allowed: 1.." + pairs.size());
      }
    }
    ModelState original = session.readState();
    BlockGates gates = BlockGates.inference(spec);
    List<RandomSwaps> out = new ArrayList<>();
    try {
      for (int k : ks) {
        double[] errors = new double[draws];
        for (int d = 0; d < draws; d++) {
          int[] chosen = choose(pairs.size(), k, Rngs.stream(seed, "swap/" + k + "/" + d));
          int[][] swaps = new int[k][];
          for (int i = 0; i < k; i++) {
            swaps[i] = pairs.get(chosen[i]);
          }
          session.loadState(swap(original, swaps));
          errors[d] = error(session, test, gates);
        }
        out.add(new RandomSwaps(k, errors));
      }
    } finally {
      session.loadState(original);
    }
    return out;
  }

  /**
   * Every pair {@code {i, j}} (i < j) of blocks that can exchange places: the same input shape, kind and shortcut,
   * and parameters and statistics of the same names (after the block's own prefix) and shapes. In He et al.'s CIFAR
   * nets these are the blocks that keep their stage's shape: every block of the first stage, all but the first
   * (downsampling) one of the others.
   */
  public static List<int[]> swappablePairs(ModelSpec spec) {
    List<Block> blocks = spec.blocks();
    List<java.util.Map<String, List<Integer>>> shapes = new ArrayList<>();
    for (Block b : blocks) {
      java.util.Map<String, List<Integer>> m = new java.util.LinkedHashMap<>();
      for (ParameterSpec p : spec.parameters()) {
        if (p.name().startsWith(b.name() + ".")) {
          m.put(p.name().substring(b.name().length()), java.util.Arrays.stream(p.shape().dims()).boxed().toList());
        }
      }
      shapes.add(m);
    }
    List<int[]> pairs = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      for (int j = i + 1; j < blocks.size(); j++) {
        Block a = blocks.get(i);
        Block b = blocks.get(j);
        if (spec.blockInputShape(i).equals(spec.blockInputShape(j)) && shapes.get(i).equals(shapes.get(j))
            && a.kind() == b.kind() && a.residual() == b.residual() && a.downsamples() == b.downsamples()) {
          pairs.add(new int[] {i, j});
        }
      }
    }
    return pairs;
  }

  /**
   * A copy of {@code state} with the blocks of each pair exchanged, pair after pair: every tensor
   * {@code blockI.X} takes the value of {@code blockJ.X} and the reverse. The pairs must be {@link #swappablePairs}.
   */
  public static ModelState swap(ModelState state, int[][] pairs) {
    ModelSpec spec = state.spec();
    java.util.Map<String, HostTensor> t = new java.util.LinkedHashMap<>(state.copy().tensors());
    for (int[] pair : pairs) {
      String a = spec.blocks().get(pair[0]).name() + ".";
      String b = spec.blocks().get(pair[1]).name() + ".";
      for (ParameterSpec p : spec.parameters()) {
        if (p.name().startsWith(a)) {
          String other = b + p.name().substring(a.length());
          HostTensor x = t.get(p.name());
          HostTensor y = t.get(other);
          if (y == null || !java.util.Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("swap of blocks " + pair[0] + " and " + pair[1] + " of '" + spec.name()
                + "': " + p.name() + " has no counterpart of its shape; allowed: pairs of swappablePairs(spec)");
          }
          t.put(p.name(), y);
          t.put(other, x);
        }
      }
    }
    return new ModelState(spec, t);
  }

  /** {@code k} distinct indices of 0..n-1 (a partial Fisher-Yates shuffle), in ascending order. */
  public static int[] choose(int n, int k, SplittableRandom rng) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] chosen = java.util.Arrays.copyOf(all, k);
    java.util.Arrays.sort(chosen);
    return chosen;
  }

  /** The classification error, percent, of {@code session} on {@code test} with {@code gates}. */
  public static double error(Session session, LabeledDataset test, BlockGates gates) {
    return Evaluator.evaluate(session, test, BATCH, gates, 0).errorPercent();
  }

  /**
   * Single-block lesions.
   *
   * @param wholeErrorPercent the error with no block deleted
   * @param errorPercent the error with block b deleted, per block
   * @param downsampling whether block b changes resolution or width (its deletion hurts more, Veit et al.)
   */
  public record SingleBlock(double wholeErrorPercent, double[] errorPercent, boolean[] downsampling) {}

  /**
   * Random deletions of k blocks.
   *
   * @param k blocks deleted per draw
   * @param errorPercent the error of every draw
   */
  public record RandomDeletions(int k, double[] errorPercent) {}

  /**
   * Random swaps of k pairs of same-shape blocks.
   *
   * @param k pairs swapped per draw
   * @param errorPercent the error of every draw
   */
  public record RandomSwaps(int k, double[] errorPercent) {}
}
