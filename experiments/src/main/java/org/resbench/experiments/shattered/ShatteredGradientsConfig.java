package org.resbench.experiments.shattered;

import java.util.List;
import org.resbench.harness.backend.BnMode;

/**
 * Configuration of the shattered-gradients experiment. Immutable; validated at construction.
 *
 * @param width hidden units of the MLPs (Balduzzi et al.: 200)
 * @param depths MLP depths in blocks
 * @param points inputs on the grid (the batch; BN statistics are over it)
 * @param from first grid point
 * @param to end of the grid (exclusive): points are {@code from + (to - from) * i / points}
 * @param mlpFamilies any of ff-bn, res-bn, ff, res (feedforward or residual, with or without BatchNorm)
 * @param postActivation BN placement: false for {@code h <- W relu(BN(h))}, true for {@code h <- relu(BN(W h))}
 * @param randomBiases draw biases N(0, 1/fan-in) instead of zero
 * @param maxLag the largest autocorrelation lag recorded
 * @param activity record ReLU unit activity and activation variance (backends with activations only)
 * @param convDepths depths (6n+2) of the conv study; empty to skip it
 * @param convFamilies any of plain, resnet
 * @param convPoints inputs on the line between the two test images
 * @param convBnMode BN statistics of the conv study: TRAIN (over the line's batch) or INFERENCE
 * @param seeds one net per seed (weights are drawn from it); fits are made on the means over seeds
 */
public record ShatteredGradientsConfig(int width, List<Integer> depths, int points, double from, double to,
    List<String> mlpFamilies, boolean postActivation, boolean randomBiases, int maxLag, boolean activity,
    List<Integer> convDepths, List<String> convFamilies, int convPoints, BnMode convBnMode, List<Long> seeds) {

  static final List<String> MLP_FAMILIES = List.of("ff-bn", "res-bn", "ff", "res");
  static final List<String> CONV_FAMILIES = List.of("plain", "resnet");

  public ShatteredGradientsConfig {
    if (width < 1) {
      throw new IllegalArgumentException("width=" + width + "; allowed: 1 or more");
    }
    if (depths == null || depths.size() < 2 || depths.stream().anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException("depths=" + depths + "; allowed: two or more depths >= 1 (for the fits)");
    }
    if (points < 4) {
      throw new IllegalArgumentException("points=" + points + "; allowed: 4 or more");
    }
    if (!(to > from)) {
      throw new IllegalArgumentException("from=" + from + ", to=" + to + "; allowed: from < to");
    }
    for (String f : mlpFamilies) {
      if (!MLP_FAMILIES.contains(f)) {
        throw new IllegalArgumentException("mlpFamilies: '" + f + "'; allowed: " + MLP_FAMILIES);
      }
    }
    for (String f : convFamilies) {
      if (!CONV_FAMILIES.contains(f)) {
        throw new IllegalArgumentException("convFamilies: '" + f + "'; allowed: " + CONV_FAMILIES);
      }
    }
    if (seeds == null || seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
      throw new IllegalArgumentException("seeds=" + seeds + "; allowed: one or more distinct seeds, e.g. [1, 2, 3]");
    }
    seeds = List.copyOf(seeds);
    if (maxLag < 1 || maxLag >= points) {
      throw new IllegalArgumentException("maxLag=" + maxLag + "; allowed: 1.." + (points - 1) + " (below points)");
    }
    for (int d : convDepths) {
      if (d < 8 || (d - 2) % 6 != 0) {
        throw new IllegalArgumentException("convDepths: " + d + "; allowed: 6n+2 with n >= 1 (8, 14, 20, 32, 56, ...)");
      }
    }
    if (!convDepths.isEmpty() && convDepths.size() < 2) {
      throw new IllegalArgumentException("convDepths=" + convDepths
          + "; allowed: empty, or two or more (for the fits)");
    }
    if (!convDepths.isEmpty() && convPoints < 4) {
      throw new IllegalArgumentException("convPoints=" + convPoints + "; allowed: 4 or more");
    }
    depths = List.copyOf(depths);
    mlpFamilies = List.copyOf(mlpFamilies);
    convDepths = List.copyOf(convDepths);
    convFamilies = List.copyOf(convFamilies);
  }

  /** The grid of MLP inputs. */
  public double[] grid() {
    double[] x = new double[points];
    for (int i = 0; i < points; i++) {
      x[i] = from + (to - from) * i / points;
    }
    return x;
  }
}
