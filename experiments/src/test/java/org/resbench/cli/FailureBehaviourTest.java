package org.resbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.io.UserDirs;
import picocli.CommandLine;

/**
 * Issue 17 through the real command line: for each class of fault, the message, the exit code and what is kept,
 * as the README's "Failure behaviour" table states them. Every message is checked to be free of stack traces
 * and Java class names.
 */
class FailureBehaviourTest {
  private static final String[] SMALL = {"--set", "depths=[1,4]", "--set", "points=32", "--set", "maxLag=8",
      "--set", "width=16", "--set", "convDepths=[]", "--set", "mlpFamilies=[ff-bn,res-bn]"};

  /** A results folder with one good run, made once; tests copy it. */
  @TempDir
  static Path shared;

  @TempDir
  Path tmp;

  @BeforeAll
  static void oneGoodRun() {
    CliRunner.Run r = CliRunner.run(withSmall("run", "shattered-gradients", "--backends", "reference", "--no-progress",
        "--results", shared.resolve("results").toString()));
    assertEquals(ExitCodes.OK, r.code(), r.err());
  }

  private static String[] withSmall(String... head) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(List.of(SMALL));
    return all.toArray(new String[0]);
  }

  /** A copy of the shared results folder. */
  private Path results() throws Exception {
    Path to = tmp.resolve("results");
    Path from = shared.resolve("results");
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
    return to;
  }

  private static String onlyRun(Path results) throws Exception {
    try (Stream<Path> s = Files.list(results)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().findFirst()
          .orElseThrow();
    }
  }

  private static long runCount(Path results) throws Exception {
    if (!Files.exists(results)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(results)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }

  /** No stack trace, no Java class name, no picocli formatting warning: only sentences for a person. */
  private static void assertClean(CliRunner.Run r) {
    String all = r.out() + r.err();
    for (String bad : new String[] {"Exception", "java.", "\tat ", "Could not format", "Error:"}) {
      assertFalse(all.contains(bad), "'" + bad + "' in: " + all);
    }
  }

  private static CliRunner.Run expect(int code, String... args) {
    CliRunner.Run r = CliRunner.run(args);
    assertEquals(code, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
    assertClean(r);
    return r;
  }

  // ---- 1. An output replaces only a regular file ----

  @Test
  void reportsGoIntoDevicesFifosAndThroughLinksWithoutReplacingThem() throws Exception {
    Path results = results();
    Path devNull = Path.of("/dev/null");
    assumeTrue(Files.exists(devNull));
    expect(ExitCodes.OK, "report", "--latest", "--out", "/dev/null", "--results", results.toString());
    assertFalse(Files.isRegularFile(devNull), "/dev/null must stay a device");

    Path fifo = tmp.resolve("report.fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
    CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = Files.newInputStream(fifo)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    expect(ExitCodes.OK, "report", "--all", "--out", fifo.toString(), "--results", results.toString());
    assertTrue(reader.get(60, TimeUnit.SECONDS).startsWith("<!DOCTYPE html>"));
    assertFalse(Files.isRegularFile(fifo), "the FIFO must stay a FIFO");

    // --out /dev/stdout with the output redirected to a file: the report, whole, and nothing printed over it.
    Path captured = tmp.resolve("stdout.html");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "report", "--all", "--out", "/dev/stdout",
        "--results", results.toString()).redirectOutput(captured.toFile()).redirectError(
            ProcessBuilder.Redirect.PIPE).start();
    String childErr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, child.exitValue(), childErr);
    String html = Files.readString(captured);
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.strip().endsWith("</html>"), html.substring(0, 100));

    Path real = Files.writeString(tmp.resolve("real.html"), "old");
    Path link = Files.createSymbolicLink(tmp.resolve("link.html"), real);
    expect(ExitCodes.OK, "report", "--all", "--out", link.toString(), "--results", results.toString());
    assertTrue(Files.isSymbolicLink(link), "the link must stay a link");
    assertTrue(Files.readString(real).startsWith("<!DOCTYPE html>"));
  }

  @Test
  void aFolderAsOutputFailsBeforeAnyWork() throws Exception {
    Path results = tmp.resolve("fresh-results");
    CliRunner.Run r = expect(ExitCodes.USAGE, withSmall("run", "shattered-gradients", "--backends", "reference",
        "--no-progress", "--results", results.toString(), "--report", tmp.toString()));
    assertTrue(r.err().contains("--report " + tmp + " is a folder; allowed: a file path"), r.err());
    assertEquals(0, runCount(results), "refused before the run, so no record");
    r = expect(ExitCodes.USAGE, "quickstart", "--out", tmp.toString(), "--results", results.toString());
    assertTrue(r.err().contains("is a folder"), r.err());
    r = expect(ExitCodes.USAGE, "export", "mlp-2x8-ff", "--out", tmp.toString());
    assertTrue(r.err().contains("--out " + tmp + " is a folder"), r.err());
    assertEquals(0, runCount(results));
  }

  // ---- 2. One damaged record does not take the store down ----

  @Test
  void aDamagedRecordIsListedAndSkippedAndOnlyNamingItFails() throws Exception {
    Path results = results();
    String good = onlyRun(results);
    String json = Files.readString(results.resolve(good).resolve("run.json"));
    String damaged = "20991231-235959-shattered-gradients-dead";
    Files.writeString(Files.createDirectories(results.resolve(damaged)).resolve("run.json"),
        json.substring(0, json.length() / 3));
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "TOP-SECRET");
    String linked = "20991231-235958-shattered-gradients-beef";
    Files.createSymbolicLink(Files.createDirectories(results.resolve(linked)).resolve("run.json"), secret);

    CliRunner.Run r = expect(ExitCodes.OK, "runs", "--results", results.toString());
    assertTrue(r.out().contains(good) && r.out().contains(damaged) && r.out().contains("DAMAGED"), r.out());
    assertTrue(r.out().contains("ends early") && r.out().contains("is a symbolic link"), r.out());
    assertFalse(r.out().contains("TOP-SECRET"), r.out());
    JsonNode rows = new ObjectMapper().readTree(expect(ExitCodes.OK, "runs", "--json", "--results",
        results.toString()).out());
    assertEquals(3, rows.size());

    Path html = tmp.resolve("all.html");
    r = expect(ExitCodes.OK, "report", "--all", "--out", html.toString(), "--results", results.toString());
    assertTrue(r.err().contains("warning: skipped damaged run " + damaged), r.err());
    assertTrue(Files.readString(html).contains(good));
    expect(ExitCodes.OK, "report", "--latest", "--out", html.toString(), "--results", results.toString());
    expect(ExitCodes.OK, "runs", "show", good.substring(0, 15), "--results", results.toString());

    r = expect(ExitCodes.USAGE, "report", damaged, "--out", html.toString(), "--results", results.toString());
    assertTrue(r.err().contains(damaged) && r.err().contains("ends early"), r.err());
    r = expect(ExitCodes.USAGE, "runs", "show", linked, "--results", results.toString());
    assertFalse(r.err().contains("TOP-SECRET"), r.err());
  }

  // ---- 3. Sizes are checked before anything is allocated; no stack trace ever ----

  @Test
  void workThatCannotFitIsRefusedWithTheEstimateAndTheLimit() {
    CliRunner.Run r = expect(ExitCodes.USAGE, "train", "mlp-100000000x200-ff", "--backend", "reference", "--data",
        "synthetic");
    assertTrue(r.err().contains("is too large: its 100,000,000 blocks"), r.err());
    r = expect(ExitCodes.USAGE, "export", "resnet-60002", "--out", tmp.resolve("x.onnx").toString());
    assertTrue(r.err().contains("resnet-60002 export needs at least") && r.err().contains("the limit is"), r.err());
    assertFalse(Files.exists(tmp.resolve("x.onnx")));
    r = expect(ExitCodes.USAGE, "bench", "--backends", "reference", "--spec", "resnet-20", "--batch", "1000000");
    assertTrue(r.err().contains("resnet-20 inference at batch 1,000,000 on reference") && r.err().contains("needs at"
        + " least") && r.err().contains("the limit is"), r.err());
    r = expect(ExitCodes.USAGE, "run", "shattered-gradients", "--backends", "reference", "--results",
        tmp.resolve("r").toString(), "--set", "depths=[1,1000000]", "--set", "width=16", "--set", "convDepths=[]");
    assertTrue(r.err().contains("'mlp-1000000x16-ff-bn' is too large"), r.err());
    r = expect(ExitCodes.USAGE, "spec", "mlp-2x3000000000-ff");
    assertTrue(r.err().contains("width 3000000000 is too large"), r.err());
  }

  @Test
  void anUnexpectedFailurePrintsOneLineAndTheLogsPath() throws Exception {
    Path logs = tmp.resolve("logs");
    String before = System.getProperty(Main.LOGS_PROPERTY);
    System.setProperty(Main.LOGS_PROPERTY, logs.toString());
    try {
      for (Throwable failure : List.of(new NullPointerException("a bug"), new OutOfMemoryError("Java heap space"))) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        cl.addSubcommand("boom", new CommandLine(new Boom(failure)));
        cl.setErr(new PrintWriter(err, true)); // the new subcommand writes where the others do
        int code = Main.run(cl, new String[] {"boom"}, new PrintWriter(err, true));
        CliRunner.Run r = new CliRunner.Run(code, out.toString(), err.toString());
        assertClean(r);
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        Path log;
        try (Stream<Path> s = Files.list(logs)) {
          log = s.max(Comparator.comparing(Path::toString)).orElseThrow();
        }
        assertTrue(r.err().contains("details in " + logs), r.err());
        String text = Files.readString(log);
        assertTrue(text.contains("arguments: boom") && text.contains("\tat "), text);
        if (code == ExitCodes.BACKEND) {
          assertTrue(r.err().contains("out of memory") && r.err().contains("RESBENCH_JAVA_OPTS=-Xmx"), r.err());
        } else {
          assertEquals(ExitCodes.FAILURE, code);
          assertTrue(r.err().contains("an internal error stopped resbench"), r.err());
        }
        Files.delete(log);
      }
    } finally {
      if (before == null) {
        System.clearProperty(Main.LOGS_PROPERTY);
      } else {
        System.setProperty(Main.LOGS_PROPERTY, before);
      }
    }
  }

  // ---- 4. Exit codes keep the README's contract ----

  @Test
  void anUnavailableBackendIsExit3InEveryCommand() {
    Backend gone = Backends.discover().all().stream().filter(b -> !b.probe().available()).findFirst().orElse(null);
    assumeTrue(gone != null, "every backend is available on this machine");
    String n = gone.name();
    Path results = tmp.resolve("results");
    for (String[] args : List.of(new String[] {"bench", "--backends", n, "--spec", "mlp-2x8-ff"},
        new String[] {"run", "parity", "--backends", n, "--results", results.toString()},
        new String[] {"run", "shattered-gradients", "--backends", "reference," + n, "--results", results.toString()},
        new String[] {"quickstart", "--backends", n, "--data", "synthetic", "--results", results.toString()},
        new String[] {"train", "mlp-2x8-ff", "--backend", n, "--data", "synthetic"})) {
      CliRunner.Run r = expect(ExitCodes.BACKEND, args);
      assertTrue(r.err().contains(n + ": unavailable on this machine: ") && r.err().contains("available here: "),
          r.err());
    }
    expect(ExitCodes.USAGE, "bench", "--backends", "no-such-backend");
  }

  @Test
  void aNamedBackendThatCannotRunTheExperimentIsSkippedAndNoneIsExit3() {
    Backend limited = Backends.discover().all().stream().filter(b -> b.probe().available()
        && !b.probe().can(org.resbench.harness.backend.Capability.INPUT_GRADIENTS)).findFirst().orElse(null);
    assumeTrue(limited != null, "every available backend can take input gradients here");
    CliRunner.Run r = expect(ExitCodes.BACKEND, "run", "shattered-gradients", "--backends", limited.name(),
        "--results", tmp.resolve("r").toString());
    assertTrue(r.err().contains("none of --backends " + limited.name() + " can run shattered-gradients (it needs"
        + " input-gradients); backends that can: "), r.err());
    r = expect(ExitCodes.OK, withSmall("run", "shattered-gradients", "--backends", limited.name() + ",reference",
        "--no-progress", "--results", tmp.resolve("r").toString()));
    assertTrue(r.out().contains("skipped backend " + limited.name()), r.out());
  }

  @Test
  void optionsAreCheckedBeforeWorkStarts() throws Exception {
    Path results = tmp.resolve("results");
    CliRunner.Run r = expect(ExitCodes.USAGE, "quickstart", "--data", "bogus", "--results", results.toString());
    assertTrue(r.err().contains("--data bogus: unknown data set; allowed: fashion-mnist, mnist, cifar10, synthetic,"),
        r.err());
    assertFalse(r.out().contains("parity"), "nothing ran: " + r.out());
    assertEquals(0, runCount(results));
    r = expect(ExitCodes.USAGE, "train", "mlp-2x8-ff", "--backend", "reference", "--steps", "5", "--epochs", "1");
    assertTrue(r.err().contains("--steps 5 and --epochs 1 exclude each other"), r.err());
    r = expect(ExitCodes.USAGE, "train", "mlp-2x8-ff", "--backend", "reference", "--data", "synthetic", "--steps",
        "10", "--warmup-steps", "10");
    assertTrue(r.err().contains("training.warmupSteps=10 is not shorter than the run's 10 steps; allowed: 0 to 9"),
        r.err());
    r = expect(ExitCodes.USAGE, "run", "shattered-gradients", "--threads", "-1", "--results", results.toString());
    assertTrue(r.err().contains("--threads -1; allowed: 0"), r.err());
  }

  // ---- 5. Nothing silently changed or ignored ----

  @Test
  void anUnusableDataDirIsAnErrorNamingTheFolderAndTheDefect() throws Exception {
    Path missing = tmp.resolve("missing");
    CliRunner.Run r = expect(ExitCodes.USAGE, "train", "mlp-2x8-ff", "--backend", "reference", "--data-dir",
        missing.toString());
    assertTrue(r.err().contains(missing + ": no such folder (--data-dir)"), r.err());

    Path damaged = Files.createDirectories(tmp.resolve("data").resolve("fashion-mnist"));
    Files.writeString(damaged.resolve("train-labels-idx1-ubyte"), "x");
    Files.createDirectories(damaged.resolve("train-images-idx3-ubyte")); // a folder where a file should be
    r = expect(ExitCodes.USAGE, withSmall("run", "shattered-gradients", "--backends", "reference", "--data-dir",
        tmp.resolve("data").toString(), "--results", tmp.resolve("r").toString()));
    assertTrue(r.err().contains(damaged + ": fashion-mnist is damaged: train-images-idx3-ubyte is a folder, not a"
        + " file"), r.err());

    Path loop = tmp.resolve("loop");
    Files.createSymbolicLink(loop, loop);
    r = expect(ExitCodes.USAGE, "data", "info", "fashion-mnist", "--data-dir", loop.toString());
    assertTrue(r.err().contains(loop + ": too many levels of symbolic links"), r.err());
  }

  @Test
  void homeIsTakenFromTheEnvironment() {
    assertEquals(Path.of("/tmp/elsewhere"), UserDirs.home(java.util.Map.of("HOME", "/tmp/elsewhere"), "/root"));
    assertEquals(Path.of("/root"), UserDirs.home(java.util.Map.of("HOME", "relative"), "/root"));
    assertEquals(Path.of("/root"), UserDirs.home(java.util.Map.of(), "/root"));
  }

  // ---- 6. Messages ----

  @Test
  void messagesNameWhatWasWrongTheValueAndWhatIsAllowed() throws Exception {
    CliRunner.Run r = expect(ExitCodes.USAGE, "run", "shattered-gradients", "--set", "width=abc", "--results",
        tmp.toString());
    assertTrue(r.err().contains("width: 'abc' is not an integer"), r.err());
    r = expect(ExitCodes.USAGE, "run", "shattered-gradients", "--config", tmp.resolve("none.yaml").toString(),
        "--results", tmp.toString());
    assertTrue(r.err().contains("none.yaml: no such file or folder"), r.err());
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    r = expect(ExitCodes.USAGE, "runs", "--results", file.toString());
    assertTrue(r.err().contains("results folder " + file + " is a file; allowed: a folder of runs"), r.err());
    r = expect(ExitCodes.IO, withSmall("run", "shattered-gradients", "--backends", "reference", "--results",
        file.resolve("sub").toString()));
    assertTrue(r.err().startsWith("error: results folder " + file.resolve("sub") + " is not writable ("), r.err());
    r = expect(ExitCodes.USAGE, "run", "shattered-gradients", "--set", "width=8", "--set", "width=9", "--results",
        tmp.toString());
    assertTrue(r.err().contains("--set width is given twice"), r.err());
    r = expect(ExitCodes.USAGE, "train", "mlp-2x8-ff", "--backend", "reference", "--batch", "x");
    assertTrue(r.err().contains("'x'"), r.err());
  }

  @Test
  void helpTextsFormatWithoutWarnings() {
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      List<CommandLine> all = new ArrayList<>();
      collect(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), all);
      for (CommandLine c : all) {
        StringWriter help = new StringWriter();
        c.usage(new PrintWriter(help));
        assertFalse(help.toString().isBlank());
      }
      // A parse error prints the command's usage: no formatting warnings after it either.
      CliRunner.Run r = CliRunner.run("train", "--no-such-option");
      assertEquals(ExitCodes.USAGE, r.code());
      assertFalse(r.err().contains("Could not format"), r.err());
    } finally {
      System.setErr(saved);
    }
    String warnings = captured.toString(StandardCharsets.UTF_8);
    assertFalse(warnings.contains("Could not format"), warnings);
  }

  /** A command that fails as nobody expected. */
  @CommandLine.Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    private final Throwable failure;

    Boom(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      if (failure instanceof Error e) {
        throw e;
      }
      throw (Exception) failure;
    }
  }

  private static void collect(CommandLine c, List<CommandLine> out) {
    out.add(c);
    for (CommandLine sub : c.getSubcommands().values()) {
      if (!out.contains(sub)) {
        collect(sub, out);
      }
    }
  }
}
