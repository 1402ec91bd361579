package org.resbench.experiments.lesion;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Session;
import org.resbench.harness.data.LabeledDataset;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.ModelSpec;
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

  /** {@code k} distinct indices of 0..n-1 (a partial Fisher-Yates shuffle), in ascending order. */
  static int[] choose(int n, int k, SplittableRandom rng) {
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
}
