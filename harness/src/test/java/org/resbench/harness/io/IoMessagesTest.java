package org.resbench.harness.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 17, class 6: I/O failures in words ("permission denied"), not a bare path or a Java class name. */
class IoMessagesTest {
  @Test
  void failuresAreDescribedInWords() {
    Path p = Path.of("/x/run.json");
    // An AccessDeniedException's own message is only the path: "cannot read X: X" is what it used to print.
    assertEquals("cannot read /x/run.json: permission denied",
        IoMessages.cannot("read", p, new AccessDeniedException(p.toString())));
    assertEquals("no such file or folder", IoMessages.reason(new NoSuchFileException(p.toString())));
    assertEquals("not a folder", IoMessages.reason(new NotDirectoryException(p.toString())));
    assertEquals("no space left on device",
        IoMessages.reason(new FileSystemException(p.toString(), null, "No space left on device")));
    assertEquals("it ends early (truncated)", IoMessages.reason(new EOFException()));
    assertEquals("broken pipe", IoMessages.reason(new IOException("Broken pipe")));
    assertEquals("an I/O error", IoMessages.reason(new IOException()));
  }
}
