package org.resbench.experiments.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.resbench.results.training.CheckpointFiles;

/**
 * How a configuration names "the trained weights of run X": the value of a config field such as {@code init}
 * or {@code weights} is one of
 * <ul>
 *   <li>{@code run:ID} — the newest checkpoint of run ID (an id or a unique prefix) in the results folder, when
 *       the run trained one net on one backend and seed;
 *   <li>{@code run:ID/CELL} — the newest checkpoint of one cell of run ID (cells are listed in the run's report
 *       and record, e.g. {@code ort-cpu-s0});
 *   <li>a path to a checkpoint file ({@code .../checkpoints/CELL/step-0064000.npz}).
 * </ul>
 * Stateless.
 */
public final class TrainedWeights {
  private TrainedWeights() {}

  /** The checkpoint file {@code reference} names, with runs looked up in {@code resultsRoot}. */
  public static Path resolve(String reference, Path resultsRoot) {
    if (!reference.startsWith("run:")) {
      Path file = Path.of(reference);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("weights '" + reference + "': no such file; allowed: run:ID,"
            + " run:ID/CELL, or a checkpoint file (step-NNNNNNN.npz)");
      }
      return file;
    }
    String rest = reference.substring(4);
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    String cell = slash < 0 ? null : rest.substring(slash + 1);
    Path run = run(id, resultsRoot);
    Path checkpoints = run.resolve("checkpoints");
    List<Path> cells = children(checkpoints);
    if (cell == null) {
      if (cells.size() != 1) {
        throw new IllegalArgumentException("weights '" + reference + "': run " + run.getFileName() + " has "
            + cells.size() + " trained cells " + cells.stream().map(p -> p.getFileName().toString()).toList()
            + "; allowed: run:ID/CELL naming one of them");
      }
      cell = cells.get(0).getFileName().toString();
    }
    Path dir = checkpoints.resolve(cell);
    final String c = cell;
    return CheckpointFiles.latest(dir).orElseThrow(() -> new IllegalArgumentException("weights '" + reference
        + "': run " + run.getFileName() + " has no checkpoint for cell '" + c + "'; allowed: one of "
        + cells.stream().map(p -> p.getFileName().toString()).toList()));
  }

  private static Path run(String idOrPrefix, Path root) {
    if (!idOrPrefix.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("weights: run id '" + idOrPrefix + "'; allowed: an id or unique prefix"
          + " from 'resbench runs'");
    }
    List<Path> matches = children(root).stream().filter(p -> p.getFileName().toString().startsWith(idOrPrefix))
        .toList();
    if (matches.size() != 1) {
      throw new IllegalArgumentException("weights: run '" + idOrPrefix + "' matches " + matches.size()
          + " runs in " + root + "; allowed: an id or unique prefix from 'resbench runs'");
    }
    return matches.get(0);
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
