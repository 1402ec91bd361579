package org.resbench.harness.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, class 1: an output replaces only a regular file; devices, FIFOs and links are never replaced. */
class AtomicFilesTest {

  @Test
  void replacesWholeFilesAndLeavesNoTemporaries(@TempDir Path dir) throws Exception {
    Path t = AtomicFiles.writeString(dir.resolve("sub/a.txt"), "one");
    assertEquals("one", Files.readString(t));
    AtomicFiles.writeString(t, "two");
    assertEquals("two", Files.readString(t));
    try (var files = Files.list(t.getParent())) {
      assertEquals(List.of(t), files.toList());
    }
  }

  @Test
  void filesAreReadableByOthersLikeAnyNewFile(@TempDir Path dir) throws Exception {
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    Path atomic = AtomicFiles.writeString(dir.resolve("atomic.txt"), "x");
    // Same permissions as a file written the ordinary way (the umask decides), not owner-only.
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    assertTrue(Files.getPosixFilePermissions(atomic).contains(PosixFilePermission.OWNER_READ));
  }

  @Test
  void aReplacedFileKeepsItsPermissions(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("report.html"), "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    AtomicFiles.writeString(f, "new");
    assertEquals("new", Files.readString(f));
    assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(f));
  }

  @Test
  void aCharacterDeviceIsWrittenIntoNotReplaced() throws Exception {
    Path devNull = Path.of("/dev/null");
    assumeTrue(Files.exists(devNull), "no /dev/null here");
    Object before = Files.getAttribute(devNull, "unix:rdev");
    AtomicFiles.Target t = AtomicFiles.checkTarget(devNull, "--out");
    assertEquals(AtomicFiles.TargetKind.CHARACTER_DEVICE, t.kind());
    assertEquals(devNull, AtomicFiles.writeString(devNull, "discarded"));
    assertFalse(Files.isRegularFile(devNull), "/dev/null must stay a device");
    assertEquals(before, Files.getAttribute(devNull, "unix:rdev"));
    assertEquals(0, ((Number) Files.getAttribute(devNull, "unix:mode")).intValue() & 0100000,
        "not a regular file");
  }

  @Test
  void aFifoIsWrittenIntoAndStaysAFifo(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("pipe");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
    CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = Files.newInputStream(fifo)) {
        return in.readAllBytes();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals(AtomicFiles.TargetKind.FIFO, AtomicFiles.checkTarget(fifo, "--out").kind());
    AtomicFiles.writeString(fifo, "through the pipe");
    assertArrayEquals("through the pipe".getBytes(StandardCharsets.UTF_8), reader.get(30, TimeUnit.SECONDS));
    assertFalse(Files.isRegularFile(fifo), "the FIFO must not be replaced by a file");
    assertEquals(0010000, ((Number) Files.getAttribute(fifo, "unix:mode")).intValue() & 0170000, "still a FIFO");
    try (var files = Files.list(dir)) {
      assertEquals(List.of(fifo), files.toList(), "no temporary left");
    }
  }

  @Test
  void aSymlinkIsFollowedNeverReplaced(@TempDir Path dir) throws Exception {
    Path real = Files.writeString(dir.resolve("real.html"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.html"), Path.of("real.html"));
    Path written = AtomicFiles.writeString(link, "new");
    assertEquals(real, written);
    assertTrue(Files.isSymbolicLink(link), "the link must stay a link");
    assertEquals(Path.of("real.html"), Files.readSymbolicLink(link));
    assertEquals("new", Files.readString(real));

    // A dangling link gets its target created; the link stays.
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.html"), dir.resolve("sub/made.html"));
    AtomicFiles.writeString(dangling, "made");
    assertTrue(Files.isSymbolicLink(dangling));
    assertEquals("made", Files.readString(dir.resolve("sub/made.html")));

    // A link to /dev/null writes into the device.
    Path toNull = Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"));
    AtomicFiles.writeString(toNull, "x");
    assertTrue(Files.isSymbolicLink(toNull));
  }

  @Test
  void theStandardOutputIsRecognisedUnderItsNames() {
    for (String p : new String[] {"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"}) {
      assertTrue(AtomicFiles.isStandardOutput(Path.of(p)), p);
      assertEquals(AtomicFiles.TargetKind.STANDARD_OUTPUT, AtomicFiles.checkTarget(Path.of(p), "--out").kind());
    }
    assertFalse(AtomicFiles.isStandardOutput(Path.of("/dev/stderr")));
    assertFalse(AtomicFiles.isStandardOutput(Path.of("stdout")));
  }

  @Test
  void linkLoopsFoldersSocketsAndFilesInTheWayAreRefusedWithoutWriting(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Files.createSymbolicLink(a, b);
    Files.createSymbolicLink(b, a);
    IllegalArgumentException loop = assertThrows(IllegalArgumentException.class, () -> AtomicFiles.writeString(a, "x"));
    assertTrue(loop.getMessage().contains("loop of symbolic links"), loop.getMessage());
    assertTrue(Files.isSymbolicLink(a) && Files.isSymbolicLink(b));

    IllegalArgumentException folder = assertThrows(IllegalArgumentException.class,
        () -> AtomicFiles.checkTarget(dir, "--out"));
    assertTrue(folder.getMessage().startsWith("--out " + dir + " is a folder; allowed: a file path"),
        folder.getMessage());

    Path sock = dir.resolve("sock");
    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(sock));
      IllegalArgumentException s =
          assertThrows(IllegalArgumentException.class, () -> AtomicFiles.writeString(sock, "x"));
      assertTrue(s.getMessage().contains("is a socket; allowed: a regular file"), s.getMessage());
      assertFalse(Files.isRegularFile(sock, LinkOption.NOFOLLOW_LINKS));
    }

    Path file = Files.writeString(dir.resolve("f"), "x");
    UncheckedIOException under = assertThrows(UncheckedIOException.class,
        () -> AtomicFiles.writeString(file.resolve("under-a-file.txt"), "y"));
    assertEquals("cannot write " + file.resolve("under-a-file.txt") + ": " + file + " is a file, not a folder",
        under.getMessage());
    assertEquals("x", Files.readString(file));
  }

  @Test
  void ioFailuresNameThePathAndTheReasonInWords(@TempDir Path dir) throws Exception {
    assumeTrue(!"root".equals(System.getProperty("user.name")), "root may write anywhere");
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> AtomicFiles.writeString(ro.resolve("x.html"), "y"));
    assertEquals("cannot write " + ro.resolve("x.html") + ": permission denied", e.getMessage());
  }

  @Test
  void temporariesOfAKilledWriterAreRemovedOnTheNextWrite(@TempDir Path dir) throws Exception {
    Path old = Files.writeString(dir.resolve(".r.html.0123abcd.partial"), "half");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(AtomicFiles.ABANDONED_AFTER).minusSeconds(60)));
    Path fresh = Files.writeString(dir.resolve(".r.html.4567ef.partial"), "being written right now");
    Path other = Files.writeString(dir.resolve(".other.html.89ab.partial"), "not ours");
    Files.setLastModifiedTime(other, FileTime.from(Instant.EPOCH));
    AtomicFiles.writeString(dir.resolve("r.html"), "whole");
    assertFalse(Files.exists(old), "an abandoned temporary is deleted");
    assertTrue(Files.exists(fresh), "a temporary that may still be written is kept");
    assertTrue(Files.exists(other), "another target's temporaries are left alone");
  }
}
