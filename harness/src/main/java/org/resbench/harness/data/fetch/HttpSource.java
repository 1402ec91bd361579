package org.resbench.harness.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.resbench.harness.data.DataFile;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.ProgressListener;

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

  private HttpSource(String label, List<URI> bases, URI archive, Duration connectTimeout) {
    this.label = label;
    this.bases = List.copyOf(bases);
    this.archive = archive;
    this.connectTimeout = connectTimeout;
  }

  /** Files {@code BASE/NAME.gz} for each file NAME, trying each base in order. */
  public static HttpSource files(String label, List<URI> bases, Duration connectTimeout) {
    return new HttpSource(label, bases, null, connectTimeout);
  }

  /** The data set's official archive at {@code uri} (the descriptor must pin its checksum). */
  public static HttpSource archive(String label, URI uri, Duration connectTimeout) {
    return new HttpSource(label, List.of(), uri, connectTimeout);
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
      Transfers.deleteQuietly(work);
    }
  }

  private static String why(Throwable e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? "connection refused or no route: no internet access?"
        : e.getMessage();
  }

  private void download(HttpClient client, URI uri, Path to, ProgressListener progress) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
    HttpResponse<InputStream> resp;
    try {
      resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new Unavailable("cannot connect to " + uri.getHost() + " within " + connectTimeout.toSeconds()
          + " s (no internet access?)", e);
    } catch (HttpTimeoutException e) {
      throw new IOException(uri + ": no response within 60 s", e);
    } catch (ConnectException e) {
      throw new Unavailable("cannot connect to " + uri.getHost() + " (" + why(e) + ")", e);
    } catch (UnknownHostException | UnresolvedAddressException e) {
      throw new Unavailable("unknown host " + uri.getHost() + " (no DNS or no internet access?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + uri, e);
    } catch (IOException e) {
      if (e.getCause() instanceof UnresolvedAddressException || e.getCause() instanceof UnknownHostException) {
        throw new Unavailable("unknown host " + uri.getHost() + " (no DNS or no internet access?)", e);
      }
      if (e.getCause() instanceof ConnectException) {
        throw new Unavailable("cannot connect to " + uri.getHost() + " (" + why(e.getCause()) + ")", e);
      }
      throw e;
    }
    long length = resp.headers().firstValueAsLong("content-length").orElse(-1);
    try (InputStream in = resp.body()) {
      if (resp.statusCode() != 200) {
        throw new IOException(uri + ": HTTP " + resp.statusCode());
      }
      long got;
      try (ProgressListener.Task t = progress.start("downloading " + to.getFileName(), length);
           OutputStream out = Files.newOutputStream(to)) {
        got = Transfers.copy(in, out, t);
      }
      if (length >= 0 && got != length) {
        throw new IOException(uri + ": download truncated: " + got + " of " + length + " bytes");
      }
    }
  }
}
