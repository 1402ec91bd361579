package org.resbench.harness.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void failuresNameTheTarget(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> AtomicFiles.writeString(file.resolve("under-a-file.txt"), "y"));
    assertTrue(e.getMessage().contains("under-a-file.txt"), e.getMessage());
  }
}
