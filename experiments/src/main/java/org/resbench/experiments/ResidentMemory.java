package org.resbench.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory from {@code /proc/self/status} (Linux); -1 where unavailable. Stateless. */
public final class ResidentMemory {
  private ResidentMemory() {}

  /** Current resident set size in bytes (VmRSS). */
  public static long current() {
    return read("VmRSS:");
  }

  /** Peak resident set size in bytes (VmHWM). */
  public static long peak() {
    return read("VmHWM:");
  }

  /**
   * Resets the peak ({@link #peak()}) to the current resident size, so that a later {@link #peak()} is the peak since
   * now (Linux 4.0 and later: writes 5 to {@code /proc/self/clear_refs}). Returns whether it could; when not, the
   * peak stays the process's peak since it started.
   */
  public static boolean resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static long read(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          String[] parts = line.substring(key.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024L;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
