package org.resbench.harness.data.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.data.DataFile;
import org.resbench.harness.data.DataFixtures;
import org.resbench.harness.data.DataLocator;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.ProgressListener;
import org.resbench.harness.data.Verification;

/** Staging, verification and atomic installation of fetched data sets, with local and loopback-HTTP sources. */
class DataFetcherTest {
  @TempDir
  Path tmp;

  private final DataFixtures.Tiny tiny = DataFixtures.tinyIdx("tiny", 20, 5, 3);
  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private Path root() {
    return tmp.resolve("root");
  }

  private DataFetcher fetcher() {
    return new DataFetcher(root(), ProgressListener.SILENT);
  }

  /** What the locator sees under the data root (as ~/.resbench/data). */
  private boolean locatable(DatasetDescriptor d) {
    return new DataLocator(root(), DataFixtures.isolated(tmp)).find(d).isPresent();
  }

  private List<Path> leftovers() throws IOException {
    if (!Files.isDirectory(root())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root())) {
      return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }

  @Test
  void aLocalFolderIsCopiedVerifiedAndInstalledWithAManifest() throws IOException {
    Path src = tiny.write(tmp.resolve("src"), true);
    DataFetcher.Result r = fetcher().fetch(tiny.descriptor(), List.of(new LocalSource("local", "test files", src)),
        false);
    Path target = root().resolve("tiny");
    assertEquals(target, r.dir());
    assertEquals(Verification.Verdict.VERIFIED, r.report().verdict());
    assertEquals(20, r.report().trainCount());
    assertTrue(r.failed().isEmpty());
    String manifest = Files.readString(target.resolve(Verification.MANIFEST));
    assertTrue(manifest.startsWith("# fetched by resbench from test files"), manifest);
    assertTrue(manifest.contains(DataFile.sha256(target.resolve("train-images-idx3-ubyte.gz"))
        + "  train-images-idx3-ubyte.gz"));
    assertEquals(List.of(), leftovers(), "no staging folder or lock left behind");
  }

  /** Writes half the files, then fails: a download that breaks midway. */
  private final class BreaksMidway implements FetchSource {
    @Override
    public String kind() {
      return "test";
    }

    @Override
    public String describe() {
      return "a source that breaks midway";
    }

    @Override
    public Obtained obtain(DatasetDescriptor d, Path staging, ProgressListener progress) throws IOException {
      tiny.write(staging, false);
      Files.delete(staging.resolve("t10k-labels-idx1-ubyte"));
      throw new IOException("connection reset after 3 of 4 files");
    }
  }

  @Test
  void aSourceThatFailsMidwayLeavesNothingThatWouldBeAccepted() throws IOException {
    FetchFailedException e = assertThrows(FetchFailedException.class,
        () -> fetcher().fetch(tiny.descriptor(), List.of(new BreaksMidway()), false));
    assertTrue(e.getMessage().contains("a source that breaks midway: connection reset after 3 of 4 files"),
        e.getMessage());
    assertTrue(e.getMessage().contains("By hand: put the tiny files"), e.getMessage());
    assertFalse(Files.exists(root().resolve("tiny")));
    assertEquals(List.of(), leftovers());
    assertFalse(locatable(tiny.descriptor()));
  }

  @Test
  void aFailedRefetchKeepsTheGoodCopy() throws IOException {
    Path src = tiny.write(tmp.resolve("src"), false);
    fetcher().fetch(tiny.descriptor(), List.of(new LocalSource("local", "test files", src)), false);
    byte[] before = Files.readAllBytes(root().resolve("tiny/train-images-idx3-ubyte"));
    assertThrows(FetchFailedException.class,
        () -> fetcher().fetch(tiny.descriptor(), List.of(new BreaksMidway()), true));
    assertArrayEquals(before, Files.readAllBytes(root().resolve("tiny/train-images-idx3-ubyte")));
    assertTrue(DataLocator.in(root().resolve("tiny"), tiny.descriptor(), "x").isPresent());
    assertEquals(List.of(), leftovers());
  }

  @Test
  void aCorruptDeliveryIsRejectedAndTheNextSourceUsed() throws IOException {
    Path bad = tiny.write(tmp.resolve("bad"), false);
    byte[] img = Files.readAllBytes(bad.resolve("t10k-images-idx3-ubyte"));
    img[40] ^= 0x10;
    Files.write(bad.resolve("t10k-images-idx3-ubyte"), img);
    Path good = tiny.write(tmp.resolve("good"), true);
    List<String> notes = new ArrayList<>();
    ProgressListener rec = new ProgressListener() {
      @Override
      public void note(String message) {
        notes.add(message);
      }

      @Override
      public Task start(String label, long totalBytes) {
        return Task.NONE;
      }
    };
    DataFetcher.Result r = new DataFetcher(root(), rec).fetch(tiny.descriptor(),
        List.of(new LocalSource("local", "corrupt copy", bad), new LocalSource("local", "good copy", good)), false);
    assertEquals(1, r.failed().size());
    assertTrue(r.failed().get(0).failure().contains("rejected: MISMATCH: t10k-images-idx3-ubyte: checksum mismatch"),
        r.failed().get(0).failure());
    assertTrue(r.source().startsWith("good copy"), r.source());
    assertEquals(Verification.Verdict.VERIFIED, r.report().verdict());
    assertTrue(notes.get(0).startsWith("trying corrupt copy"), notes.toString());
    assertTrue(notes.stream().anyMatch(n -> n.contains("failed: rejected")), notes.toString());
  }

  @Test
  void anExistingFolderIsReplacedOnlyWhenAllowed() throws IOException {
    Files.createDirectories(root().resolve("tiny"));
    Files.writeString(root().resolve("tiny/junk"), "x");
    Path src = tiny.write(tmp.resolve("src"), false);
    List<FetchSource> sources = List.of(new LocalSource("local", "test files", src));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fetcher().fetch(tiny.descriptor(), sources, false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    fetcher().fetch(tiny.descriptor(), sources, true);
    assertFalse(Files.exists(root().resolve("tiny/junk")), "the old folder was replaced as a whole");
    assertEquals(List.of(), leftovers());
  }

  @Test
  void aSecondConcurrentFetchIsRefusedAndLeavesTheFirstOneAlone() throws IOException {
    Files.createDirectories(root());
    Path lockFile = root().resolve(".tiny.lock");
    Path src = tiny.write(tmp.resolve("src"), false);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
         java.nio.channels.FileLock held = ch.lock()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> fetcher().fetch(tiny.descriptor(),
          List.of(new LocalSource("local", "test files", src)), false));
      assertTrue(e.getMessage().contains("another fetch of tiny"), e.getMessage());
      assertTrue(Files.exists(lockFile), "the running fetch's lock file stays");
      assertFalse(Files.exists(root().resolve("tiny")));
    }
  }

  @Test
  void leftoversOfAKilledFetchAreNeverLocatedAndAreCleanedUp() throws IOException {
    Path stale = tiny.write(root().resolve(".tiny.partial-12345"), false);
    assertFalse(locatable(tiny.descriptor()), "a staging folder is never accepted");
    assertTrue(DataFetcher.isStaging(stale));
    Path src = tiny.write(tmp.resolve("src"), false);
    fetcher().fetch(tiny.descriptor(), List.of(new LocalSource("local", "test files", src)), false);
    assertFalse(Files.exists(stale));
  }

  @Test
  void filesWithoutPinnedChecksumsNeedTheVerifiedArchive() throws IOException {
    DataFixtures.Tiny c = DataFixtures.tinyCifar("tinycifar", new int[] {3, 2}, 2, 5);
    Path folder = c.write(tmp.resolve("cifar-folder"), false);
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetcher().fetch(c.descriptor(),
        List.of(new LocalSource("local", "your folder", folder)), false));
    assertTrue(e.getMessage().contains("no checksum is pinned for data_batch_1.bin"), e.getMessage());
    assertFalse(Files.exists(root().resolve("tinycifar")));

    Path archive = Files.write(tmp.resolve("tinycifar.tar.gz"), c.archive());
    DataFetcher.Result r = fetcher().fetch(c.descriptor(), List.of(new LocalSource("local", "your archive", archive)),
        false);
    assertEquals(5, r.report().trainCount());
    assertEquals(Verification.Verdict.VERIFIED, r.report().verdict(), "verified through the manifest");
    String manifest = Files.readString(r.dir().resolve(Verification.MANIFEST));
    assertTrue(manifest.contains("sha256 " + c.descriptor().archive().sha256() + " (verified)"), manifest);
    assertFalse(Files.exists(r.dir().resolve("batches.meta.txt")), "only the data set's files are taken");

    byte[] other = c.archive().clone();
    other[other.length - 9] ^= 1; // the gzip trailer: a different file
    Path wrong = Files.write(tmp.resolve("other.tar.gz"), other);
    FetchFailedException w = assertThrows(FetchFailedException.class, () -> fetcher().fetch(c.descriptor(),
        List.of(new LocalSource("local", "your archive", wrong)), true));
    assertTrue(w.getMessage().contains("is not the official tinycifar.tar.gz"), w.getMessage());
    assertEquals(Verification.Verdict.VERIFIED,
        Verification.check(DataLocator.in(r.dir(), c.descriptor(), "x").orElseThrow(), ProgressListener.SILENT)
            .verdict());
  }

  @Test
  void archiveEntriesCannotEscapeTheStagingFolder() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("../../evil/train-images-idx3-ubyte", tiny.files().get("train-images-idx3-ubyte"));
    entries.put("x/../../t10k-labels-idx1-ubyte", tiny.files().get("t10k-labels-idx1-ubyte"));
    Path tar = Files.write(tmp.resolve("a.tar"), DataFixtures.tar(entries));
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    List<String> got = Archives.extract(tar, null, LocalSource.wantedNames(tiny.descriptor()), dest,
        ProgressListener.SILENT);
    assertEquals(List.of("train-images-idx3-ubyte", "t10k-labels-idx1-ubyte"), got);
    assertTrue(Files.isRegularFile(dest.resolve("train-images-idx3-ubyte")));
    assertFalse(Files.exists(tmp.resolve("evil")));
    byte[] broken = DataFixtures.tar(entries);
    broken[10] ^= 1; // a name byte: the header checksum no longer matches
    Path bad = Files.write(tmp.resolve("b.tar"), broken);
    IOException e = assertThrows(IOException.class, () -> Archives.extract(bad, null,
        LocalSource.wantedNames(tiny.descriptor()), dest, ProgressListener.SILENT));
    assertTrue(e.getMessage().contains("corrupt tar header"), e.getMessage());
  }

  private URI serve(Map<String, byte[]> files, boolean truncate) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      byte[] body = files.get(ex.getRequestURI().getPath());
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body, 0, truncate ? body.length / 2 : body.length);
      } catch (IOException ignored) {
        // the client gave up on a truncated body
      }
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/d/");
  }

  @Test
  void downloadsFromAnHttpLocationWithProgress() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : tiny.files().entrySet()) {
      files.put("/d/" + e.getKey() + ".gz", DataFixtures.gzip(e.getValue()));
    }
    URI base = serve(files, false);
    List<String> tasks = new ArrayList<>();
    long[] bytes = {0};
    ProgressListener rec = new ProgressListener() {
      @Override
      public void note(String message) {}

      @Override
      public Task start(String label, long totalBytes) {
        tasks.add(label + " " + totalBytes);
        return bytes0 -> bytes[0] += bytes0;
      }
    };
    DataFetcher.Result r = new DataFetcher(root(), rec).fetch(tiny.descriptor(),
        List.of(HttpSource.files("loopback", List.of(base), Duration.ofSeconds(2))), false);
    assertEquals(Verification.Verdict.VERIFIED, r.report().verdict());
    assertTrue(tasks.contains("downloading train-images-idx3-ubyte.gz " + files.get("/d/train-images-idx3-ubyte.gz")
        .length),
        tasks.toString());
    assertEquals(files.values().stream().mapToLong(b -> b.length).sum(), bytes[0]);
  }

  @Test
  void aTruncatedDownloadIsNotAccepted() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : tiny.files().entrySet()) {
      files.put("/d/" + e.getKey() + ".gz", DataFixtures.gzip(e.getValue()));
    }
    URI base = serve(files, true);
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetcher().fetch(tiny.descriptor(),
        List.of(HttpSource.files("loopback", List.of(base), Duration.ofSeconds(2))
            .withStallTimeout(Duration.ofSeconds(1))), false));
    assertTrue(e.getMessage().contains("download stalled") || e.getMessage().contains("truncated") || e.getMessage()
        .contains("failed after"), e.getMessage());
    assertEquals(1, e.attempts().size());
    assertFalse(Files.exists(root().resolve("tiny")));
    assertEquals(List.of(), leftovers());
  }

  @Test
  void anArchiveIsDownloadedVerifiedAndUnpacked() throws IOException {
    DataFixtures.Tiny c = DataFixtures.tinyCifar("tinycifar", new int[] {2}, 1, 8);
    URI base = serve(Map.of("/d/tinycifar.tar.gz", c.archive()), false);
    DataFetcher.Result r = fetcher().fetch(c.descriptor(),
        List.of(HttpSource.archive("loopback", base.resolve("tinycifar.tar.gz"), Duration.ofSeconds(2))), false);
    assertEquals(Verification.Verdict.VERIFIED, r.report().verdict());
    assertArrayEquals(c.files().get("test_batch.bin"), Files.readAllBytes(r.dir().resolve("test_batch.bin")));
  }

  @Test
  void anUnreachableSiteIsReportedAsUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetcher().fetch(tiny.descriptor(),
        List.of(HttpSource.files("closed port", List.of(URI.create("http://127.0.0.1:" + port + "/")),
            Duration.ofSeconds(2))), false));
    assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1"), e.getMessage());
    assertEquals(List.of(), leftovers());
  }

  @Test
  void sourceKindsAreFilteredWithAClearError() {
    List<FetchSource> all = FetchSources.defaults(org.resbench.harness.data.KnownDatasets.MNIST,
        DataFixtures.isolated(tmp), Duration.ofSeconds(1));
    assertEquals(List.of("official", "npm"), all.stream().map(FetchSource::kind).toList(),
        "no installed copies under the isolated system root");
    assertEquals(1, FetchSources.only(all, "npm", org.resbench.harness.data.KnownDatasets.MNIST).size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FetchSources.only(all, "debian", org.resbench.harness.data.KnownDatasets.MNIST));
    assertTrue(e.getMessage().contains("allowed: installed, official, npm"), e.getMessage());
  }
}
