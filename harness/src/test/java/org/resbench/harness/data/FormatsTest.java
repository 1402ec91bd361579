package org.resbench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resbench.harness.spec.Shape;

/** IDX and CIFAR-10 readers: round trips on files the test writes, and every kind of corrupt file. */
class FormatsTest {
  @TempDir
  Path dir;

  private final RawImages images = DataFixtures.images("x", 7, Shape.of(1, 5, 4), 10, 3);

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void idxRoundTrip(boolean gzip) throws IOException {
    byte[] img = DataFixtures.idxImages(images);
    byte[] lab = DataFixtures.idxLabels(images);
    // The gzip magic number decides, not the name: a gzipped file without .gz reads too.
    Path i = write("imgs", gzip ? DataFixtures.gzip(img) : img);
    Path l = write("labs", gzip ? DataFixtures.gzip(lab) : lab);
    RawImages r = IdxFormat.read(i, l, 10);
    assertEquals(7, r.count());
    assertEquals(Shape.of(1, 5, 4), r.shape());
    assertArrayEquals(images.pixels(), r.pixels());
    assertArrayEquals(images.labels(), r.labels());
    assertEquals(7, IdxFormat.declaredCount(i, true));
    assertEquals(7, IdxFormat.declaredCount(l, false));
    assertEquals(gzip, DataFile.read(i).gzipped());
    assertEquals(DataFile.sha256(img), DataFile.read(i).contentSha256());
  }

  @Test
  void wrongMagicNumberNamesFileAndAllowedValue() throws IOException {
    Path lab = write("labs", DataFixtures.idxLabels(images));
    // A label file passed as the image file.
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.read(lab, lab, 10));
    assertEquals(lab, e.file());
    assertTrue(e.getMessage().contains("wrong magic number 2049"), e.getMessage());
    assertTrue(e.getMessage().contains("allowed: 2051"), e.getMessage());
    assertTrue(e.getMessage().contains("this is a label file"), e.getMessage());
    byte[] junk = DataFixtures.idxImages(images);
    junk[2] = 0x0d; // float type
    Path bad = write("bad", junk);
    DataFormatException e2 = assertThrows(DataFormatException.class, () -> IdxFormat.read(bad, lab, 10));
    assertTrue(e2.getMessage().startsWith(bad.toString()), e2.getMessage());
    assertTrue(e2.getMessage().contains("0x00000d03"), e2.getMessage());
  }

  @Test
  void truncatedFilesAreReportedWithSizes() throws IOException {
    byte[] img = DataFixtures.idxImages(images);
    Path lab = write("labs", DataFixtures.idxLabels(images));
    Path shortBody = write("short", Arrays.copyOf(img, img.length - 3));
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.read(shortBody, lab, 10));
    assertTrue(e.getMessage().contains("truncated: the header declares 7 images of 5x4"), e.getMessage());
    assertTrue(e.getMessage().contains("the file has " + (img.length - 3) + " bytes"), e.getMessage());

    Path shortHeader = write("hdr", Arrays.copyOf(img, 10));
    assertTrue(assertThrows(DataFormatException.class, () -> IdxFormat.read(shortHeader, lab, 10)).getMessage()
        .contains("shorter than the 16-byte IDX header"));

    Path empty = write("empty", new byte[0]);
    assertTrue(assertThrows(DataFormatException.class, () -> IdxFormat.read(empty, lab, 10)).getMessage()
        .contains("truncated: 0 bytes"));

    byte[] gz = DataFixtures.gzip(img);
    Path cutGzip = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
    DataFormatException g = assertThrows(DataFormatException.class, () -> IdxFormat.read(cutGzip, lab, 10));
    assertTrue(g.getMessage().contains("truncated: the gzip stream ends early"), g.getMessage());

    Path extra = write("extra", Arrays.copyOf(img, img.length + 5));
    assertTrue(assertThrows(DataFormatException.class, () -> IdxFormat.read(extra, lab, 10)).getMessage()
        .contains("5 unexpected bytes after the 7 images"));
  }

  @Test
  void imageLabelCountMismatch() throws IOException {
    Path img = write("imgs", DataFixtures.idxImages(images));
    RawImages fewer = new RawImages("y", 6, images.shape(), Arrays.copyOf(images.pixels(), 6 * 20),
        Arrays.copyOf(images.labels(), 6));
    Path lab = write("labs", DataFixtures.idxLabels(fewer));
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.read(img, lab, 10));
    assertEquals(lab, e.file());
    assertTrue(e.getMessage().contains("image/label count mismatch: 6 labels for the 7 images"), e.getMessage());
  }

  @Test
  void labelOutOfRange() throws IOException {
    Path img = write("imgs", DataFixtures.idxImages(images));
    byte[] lab = DataFixtures.idxLabels(images);
    lab[8 + 4] = 12;
    Path l = write("labs", lab);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.read(img, l, 10));
    assertTrue(e.getMessage().contains("label 12 of example 4 is out of range; allowed: 0..9"), e.getMessage());
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void cifarRoundTripAndConcat(boolean gzip) throws IOException {
    RawImages a = DataFixtures.images("a", 3, CifarFormat.SHAPE, 10, 1);
    RawImages b = DataFixtures.images("b", 2, CifarFormat.SHAPE, 10, 2);
    byte[] fa = DataFixtures.cifarBatch(a);
    Path pa = write("a.bin", gzip ? DataFixtures.gzip(fa) : fa);
    Path pb = write("b.bin", DataFixtures.cifarBatch(b));
    RawImages ra = CifarFormat.read(pa, 10);
    assertArrayEquals(a.pixels(), ra.pixels());
    assertArrayEquals(a.labels(), ra.labels());
    // Channel-major: the first 1024 pixel bytes of a record are red, row-major.
    assertEquals(fa[1 + 1024 + 32 * 2 + 5], ra.pixels()[1024 + 32 * 2 + 5]);
    RawImages all = RawImages.concat("train", List.of(ra, CifarFormat.read(pb, 10)));
    assertEquals(5, all.count());
    assertEquals(b.label(1), all.label(4));
    assertArrayEquals(Arrays.copyOfRange(b.pixels(), 0, 3072), Arrays.copyOfRange(all.pixels(), 3 * 3072, 4 * 3072));
  }

  @Test
  void cifarCorruptFiles() throws IOException {
    RawImages a = DataFixtures.images("a", 2, CifarFormat.SHAPE, 10, 1);
    byte[] f = DataFixtures.cifarBatch(a);
    Path cut = write("cut.bin", Arrays.copyOf(f, f.length - 100));
    DataFormatException e = assertThrows(DataFormatException.class, () -> CifarFormat.read(cut, 10));
    assertEquals(cut, e.file());
    assertTrue(e.getMessage().contains("truncated: 6046 bytes is not a whole number of 3073-byte records"),
        e.getMessage());
    Path empty = write("empty.bin", new byte[0]);
    assertTrue(assertThrows(DataFormatException.class, () -> CifarFormat.read(empty, 10)).getMessage()
        .contains("empty"));
    f[CifarFormat.RECORD_BYTES] = 10; // the second record's label
    Path bad = write("bad.bin", f);
    assertTrue(assertThrows(DataFormatException.class, () -> CifarFormat.read(bad, 10)).getMessage()
        .contains("label 10 of example 1 is out of range; allowed: 0..9"));
  }

  @Test
  void missingFileIsAnIoError() {
    assertThrows(java.io.UncheckedIOException.class, () -> DataFile.read(dir.resolve("absent")));
  }
}
