package org.resbench.harness.data.fetch;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.resbench.harness.data.DataFile;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.ProgressListener;
import org.resbench.harness.io.FileTrees;

/**
 * A data set's official download location over HTTP(S), with a short connect timeout so a machine without
 * internet moves on quickly. Either one gzipped file per data-set file under a base address (MNIST,
 * Fashion-MNIST), tried mirror by mirror, or one archive whose pinned checksum must match before anything is
 * unpacked (CIFAR-10). Immutable; it builds its HTTP client per fetch.
 */
public final class HttpSource implements FetchSource {
  private final String label;
  private final List<URI> bases;
  private final URI archive;
  private final Duration connectTimeout;
  private final Duration stallTimeout;

  private HttpSource(String label, List<URI> bases, URI archive, Duration connectTimeout, Duration stallTimeout) {
    this.label = label;
    this.bases = List.copyOf(bases);
    this.archive = archive;
    this.connectTimeout = connectTimeout;
    this.stallTimeout = stallTimeout;
  }

  /** How long a download may receive nothing before it is abandoned. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

  /** Files {@code BASE/NAME.gz} for each file NAME, trying each base in order. */
  public static HttpSource files(String label, List<URI> bases, Duration connectTimeout) {
    return new HttpSource(label, bases, null, connectTimeout, DEFAULT_STALL_TIMEOUT);
  }

  /** The data set's official archive at {@code uri} (the descriptor must pin its checksum). */
  public static HttpSource archive(String label, URI uri, Duration connectTimeout) {
    return new HttpSource(label, List.of(), uri, connectTimeout, DEFAULT_STALL_TIMEOUT);
  }

  /** This source with another stall timeout. */
  public HttpSource withStallTimeout(Duration stall) {
    return new HttpSource(label, bases, archive, connectTimeout, stall);
  }

  @Override
  public String kind() {
    return "official";
  }

  @Override
  public String describe() {
    return label + " (" + (archive != null ? archive : bases.get(0)) + ")";
  }

  @Override
  public Obtained obtain(DatasetDescriptor d, Path staging, ProgressListener progress) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    if (archive != null) {
      return obtainArchive(client, d, staging, progress);
    }
    List<String> failures = new ArrayList<>();
    for (URI base : bases) {
      try {
        for (FileSpec f : d.files()) {
          URI uri = base.resolve(f.name() + ".gz");
          download(client, uri, staging.resolve(f.name() + ".gz"), progress);
        }
        return new Obtained(label + " (" + base + ")", null);
      } catch (IOException e) {
        failures.add(base + ": " + Transfers.describe(e));
        for (FileSpec f : d.files()) {
          Files.deleteIfExists(staging.resolve(f.name() + ".gz"));
        }
      }
    }
    if (failures.stream().allMatch(m -> m.contains("cannot connect") || m.contains("unknown host"))) {
      throw new Unavailable(String.join("; ", failures));
    }
    throw new IOException(String.join("; ", failures));
  }

  private Obtained obtainArchive(HttpClient client, DatasetDescriptor d, Path staging, ProgressListener progress)
      throws IOException {
    if (d.archive() == null) {
      throw new IllegalArgumentException(d.name() + " has no archive checksum to verify a download against");
    }
    Path work = Files.createDirectories(staging.resolve(".download"));
    try {
      Path file = work.resolve(d.archive().fileName());
      download(client, archive, file, progress);
      String sha;
      try (ProgressListener.Task t = progress.start("checking " + file.getFileName(), Files.size(file))) {
        sha = DataFile.sha256(file);
        t.set(Files.size(file));
      }
      if (!sha.equals(d.archive().sha256())) {
        throw new IOException(archive + ": checksum mismatch: sha256 " + sha + ", expected " + d.archive().sha256());
      }
      Archives.extract(file, d.archive().memberDir(), LocalSource.wantedNames(d), staging, progress);
      return new Obtained(label + " (" + archive + ")", sha);
    } finally {
      FileTrees.deleteQuietly(work);
    }
  }

  private static String why(Throwable e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? "connection refused or no route: no internet access?"
        : e.getMessage();
  }

  private void download(HttpClient client, URI uri, Path to, ProgressListener progress) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
    try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> sent =
          client.sendAsync(req, HttpResponse.BodyHandlers.ofPublisher());
      HttpResponse<Flow.Publisher<List<ByteBuffer>>> resp; // completes with the headers; the body streams after
      try {
        resp = sent.get(connectTimeout.toMillis() + 60_000, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw connectFailure(uri, e.getCause());
      } catch (TimeoutException e) {
        sent.cancel(true);
        throw new IOException(uri + ": no response within " + (connectTimeout.toSeconds() + 60) + " s", e);
      }
      ToFile body = new ToFile(out);
      resp.body().subscribe(body);
      if (resp.statusCode() != 200) {
        body.cancel();
        throw new IOException(uri + ": HTTP " + resp.statusCode());
      }
      long length = resp.headers().firstValueAsLong("content-length").orElse(-1);
      long got;
      try (ProgressListener.Task t = progress.start("downloading " + to.getFileName(), length)) {
        got = body.await(t, stallTimeout, uri);
      }
      if (length >= 0 && got != length) {
        throw new IOException(uri + ": download truncated: " + got + " of " + length + " bytes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + uri, e);
    }
  }

  private IOException connectFailure(URI uri, Throwable e) {
    if (e instanceof HttpConnectTimeoutException) {
      return new Unavailable("cannot connect to " + uri.getHost() + " within " + connectTimeout.toSeconds()
          + " s (no internet access?)", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new IOException(uri + ": no response within 60 s", e);
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
        return new Unavailable("unknown host " + uri.getHost() + " (no DNS or no internet access?)", e);
      }
      if (c instanceof ConnectException) {
        return new Unavailable("cannot connect to " + uri.getHost() + " (" + why(c) + ")", e);
      }
    }
    return e instanceof IOException io ? io : new IOException(uri + ": " + Transfers.describe(e), e);
  }

  /**
   * Writes the body to a file on HttpClient's threads, while the caller's thread reports progress and gives up
   * when no data arrives for the stall timeout (a blocking read would wait forever on a stalled server).
   */
  private static final class ToFile implements Flow.Subscriber<List<ByteBuffer>> {
    private final FileChannel out;
    private final AtomicLong written = new AtomicLong();
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    ToFile(FileChannel out) {
      this.out = out;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      try {
        for (ByteBuffer b : buffers) {
          while (b.hasRemaining()) {
            written.addAndGet(out.write(b));
          }
        }
      } catch (IOException e) {
        subscription.cancel();
        done.completeExceptionally(e);
      }
    }

    @Override
    public void onError(Throwable e) {
      done.completeExceptionally(e);
    }

    @Override
    public void onComplete() {
      done.complete(written.get());
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }

    long await(ProgressListener.Task task, Duration stall, URI uri) throws IOException, InterruptedException {
      long last = 0;
      long lastChange = System.nanoTime();
      while (true) {
        try {
          long total = done.get(200, TimeUnit.MILLISECONDS);
          task.advance(total - last);
          return total;
        } catch (TimeoutException e) {
          long now = written.get();
          if (now != last) {
            task.advance(now - last);
            last = now;
            lastChange = System.nanoTime();
          } else if (System.nanoTime() - lastChange > stall.toNanos()) {
            cancel();
            throw new IOException(uri + ": download stalled: no data for " + stall.toSeconds() + " s after "
                + now + " bytes", e);
          }
        } catch (ExecutionException e) {
          throw new IOException(uri + ": download failed after " + written.get() + " bytes: "
              + Transfers.describe(e.getCause()), e.getCause());
        }
      }
    }
  }
}
