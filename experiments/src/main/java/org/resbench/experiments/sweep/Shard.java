package org.resbench.experiments.sweep;

/**
 * One slice of a sweep, {@code I/N}: shard {@code index} (from 0) of {@code count}. Immutable.
 *
 * @param index which shard, 0..count-1
 * @param count how many shards
 */
public record Shard(int index, int count) {
  /** The whole sweep as one shard. */
  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard " + index + "/" + count + "; allowed: I/N with N >= 1 and"
          + " 0 <= I < N, e.g. 0/4");
    }
  }

  /** Parses {@code I/N}. */
  public static Shard parse(String text) {
    String[] parts = text == null ? new String[0] : text.trim().split("/");
    try {
      if (parts.length == 2) {
        return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("--shard '" + text + "'; allowed: I/N with 0 <= I < N, e.g. 0/4");
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
