package org.resbench.harness.backend;

import java.util.Arrays;
import java.util.Set;
import org.resbench.harness.spec.ModelSpec;

/**
 * Backward path masks (Veit et al. 2016): per block, a factor on the gradient flowing back through the
 * residual branch and one on the gradient through the shortcut, leaving forward values unchanged. With
 * {@code z = S(x) + g F(x)}, the backward pass sends {@code branch_b * g * dz} into F and
 * {@code shortcut_b * c * dz} into S (c = 1 for residual blocks, 1 - g for plain ones). Autograd engines get
 * this from the stop-gradient identity {@code a * t + (1 - a) * stopGradient(t)}.
 *
 * <p>A path of length k is isolated by letting k blocks pass gradient only through their branch
 * ({@code branch = 1, shortcut = 0}) and the others only through their shortcut ({@link #path}). Factors
 * other than 0 and 1 are allowed (they scale gradients). Immutable and thread-safe.
 */
public final class PathMask {
  private final float[] branch;
  private final float[] shortcut;

  private PathMask(float[] branch, float[] shortcut) {
    if (branch.length != shortcut.length) {
      throw new IllegalArgumentException("path mask: " + branch.length + " branch factors but " + shortcut.length
          + " shortcut factors; allowed: one of each per block");
    }
    this.branch = branch;
    this.shortcut = shortcut;
  }

  public static PathMask of(float[] branch, float[] shortcut) {
    return new PathMask(branch.clone(), shortcut.clone());
  }

  /** No masking: gradient flows everywhere. */
  public static PathMask none(ModelSpec spec) {
    int n = spec.blocks().size();
    float[] a = new float[n];
    float[] b = new float[n];
    Arrays.fill(a, 1f);
    Arrays.fill(b, 1f);
    return new PathMask(a, b);
  }

  /**
   * The blocks in {@code branchBlocks} pass gradient through their branch only; all others through their shortcut only.
   */
  public static PathMask path(ModelSpec spec, Set<Integer> branchBlocks) {
    int n = spec.blocks().size();
    float[] a = new float[n];
    float[] b = new float[n];
    for (int i = 0; i < n; i++) {
      boolean on = branchBlocks.contains(i);
      a[i] = on ? 1f : 0f;
      b[i] = on ? 0f : 1f;
    }
    for (int i : branchBlocks) {
      if (i < 0 || i >= n) {
        throw new IllegalArgumentException("path block " + i + "; allowed: 0.." + (n - 1));
      }
    }
    return new PathMask(a, b);
  }

  /** Whether every factor is 1 (no masking; backends may skip the mask machinery). */
  public boolean isNone() {
    for (int i = 0; i < branch.length; i++) {
      if (branch[i] != 1f || shortcut[i] != 1f) {
        return false;
      }
    }
    return true;
  }

  public int size() {
    return branch.length;
  }

  public float branch(int block) {
    return branch[block];
  }

  public float shortcut(int block) {
    return shortcut[block];
  }

  public float[] branchFactors() {
    return branch.clone();
  }

  public float[] shortcutFactors() {
    return shortcut.clone();
  }

  /** Checks that there are factors for every block of {@code spec}. */
  public PathMask requireFor(ModelSpec spec) {
    if (branch.length != spec.blocks().size()) {
      throw new IllegalArgumentException("path mask: " + branch.length + " blocks for '" + spec.name()
          + "'; allowed: " + spec.blocks().size() + " (one per block)");
    }
    return this;
  }

  @Override
  public String toString() {
    return "PathMask{branch=" + Arrays.toString(branch) + ", shortcut=" + Arrays.toString(shortcut) + "}";
  }
}
