package org.resbench.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;

/**
 * Resolves the backends a user named, before any work: an unknown name is bad input (exit 2); a named backend
 * that is unavailable on this machine, or cannot do what the command needs, is exit 3 with the probe's reason
 * and the backends that would work. Without names, every backend is a candidate and commands skip the unusable
 * ones, saying why. Stateless.
 */
final class BackendChoice {
  private BackendChoice() {}

  /**
   * The named backends (duplicates removed, order kept), each available and able to do {@code needed}; or, with
   * no names, every backend on the class path (unprobed).
   *
   * @param option the option's name for messages, e.g. {@code --backends}
   */
  static List<Backend> resolve(Backends all, List<String> names, String option, Capability... needed) {
    if (names == null || names.isEmpty()) {
      return all.all();
    }
    List<Backend> out = new ArrayList<>();
    for (String n : new LinkedHashSet<>(names.stream().map(String::trim).toList())) {
      if (n.isEmpty()) {
        throw new IllegalArgumentException(option + ": an empty backend name; allowed: " + String.join(", ",
            all.names()));
      }
      out.add(all.get(n));
    }
    for (Backend b : out) {
      require(all, b, option, needed);
    }
    return out;
  }

  /** Fails with exit 3 unless {@code b} is available and can do every one of {@code needed}. */
  static void require(Backends all, Backend b, String option, Capability... needed) {
    Capabilities c = b.probe();
    if (!c.available()) {
      throw new CommandFailure(ExitCodes.BACKEND, option + " " + b.name() + ": unavailable on this machine: "
          + c.unavailableReason() + "; available here: " + usable(all, needed));
    }
    for (Capability n : needed) {
      if (!c.can(n)) {
        throw new CommandFailure(ExitCodes.BACKEND, option + " " + b.name() + " cannot do " + label(n)
            + "; backends that can: " + usable(all, needed));
      }
    }
  }

  /** The names of the backends that are available here and can do {@code needed}, or "none". */
  static String usable(Backends all, Capability... needed) {
    List<String> names = all.supporting(needed).stream().filter(b -> b.probe().available()).map(Backend::name)
        .toList();
    return names.isEmpty() ? "none (see 'resbench backends')" : String.join(", ", names);
  }

  static String label(Capability c) {
    return c.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
