package org.resbench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.spec.Shape;

/** The facade: loading, verification, determinism of batches, and the synthetic fallback. */
class DatasetsTest {
  @TempDir
  Path tmp;

  private final DataFixtures.Tiny tiny = DataFixtures.tinyIdx("tiny", 40, 10, 2);

  private DataLocator locator() {
    try {
      // --data-dir names an existing folder: a missing one is an error, not an empty place
      return new DataLocator(Files.createDirectories(tmp.resolve("data")), DataFixtures.isolated(tmp));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private DataOptions options() {
    return DataOptions.defaults().withValidationSize(8).withPadTo(8);
  }

  @Test
  void loadsSplitsWithTrainingStatisticsAndPadding() {
    tiny.write(tmp.resolve("data/tiny"), true);
    DataSplits s = Datasets.load(tiny.descriptor(), options(), locator());
    assertFalse(s.synthetic());
    assertEquals(32, s.train().size());
    assertEquals(8, s.validation().orElseThrow().size());
    assertEquals(10, s.test().size());
    assertEquals(Shape.of(1, 8, 8), s.train().sampleShape());
    assertEquals("tiny/validation", s.validation().orElseThrow().name());
    Normalization n = s.normalization().orElseThrow();
    assertEquals(Normalization.of(tiny.train()), n, "statistics of the whole official training split");
    // The validation examples are exactly the split's indices, normalised, centred on the 8x8 canvas.
    ValidationSplit split = ValidationSplit.of(40, 8, 0);
    float[] x = new float[64];
    for (int i = 0; i < 8; i++) {
      int raw = split.validation()[i];
      s.validation().orElseThrow().copyInput(i, x, 0);
      assertEquals(tiny.train().label(raw), s.validation().orElseThrow().label(i));
      assertEquals(n.apply(0, tiny.train().pixels()[raw * 36] & 0xff), x[8 + 1], "pixel (0,0) lands at (1,1)");
      assertEquals(n.apply(0, 0), x[0], "border is normalised black");
    }
    assertInstanceOf(PadCropFlip.class, s.augmentation());
    assertFalse(((PadCropFlip) s.augmentation()).flip(), "tiny has flipByDefault=false");
    assertTrue(((PadCropFlip) s.augmentation()).flip() == false && s.provenance().get("augmentation")
        .contains("no flip"));
    assertEquals("verified (4/4 files, sha256)", s.provenance().get("checksums"));
    assertEquals("32/8/10 (train/validation/test)", s.provenance().get("sizes"));
  }

  @Test
  void optionsChangeFlipNormalisationAndValidation() {
    tiny.write(tmp.resolve("data"), false);
    DataOptions o = options().withFlip(true).withNormalization(Normalization.unitRange(1)).withValidationSize(0)
        .withPadTo(0);
    DataSplits s = Datasets.load(tiny.descriptor(), o, locator());
    assertTrue(((PadCropFlip) s.augmentation()).flip());
    assertTrue(s.validation().isEmpty());
    assertEquals(40, s.train().size());
    float[] x = new float[36];
    s.train().copyInput(3, x, 0);
    assertEquals((tiny.train().pixels()[3 * 36 + 7] & 0xff) / 255f, x[7], 1e-7f);
    assertEquals(Augmentation.NONE, Datasets.load(tiny.descriptor(), o.withAugment(false), locator()).augmentation());
  }

  @Test
  void sameSeedGivesBitIdenticalBatchesAnotherSeedOthers() {
    tiny.write(tmp.resolve("data/tiny"), false);
    DataSplits a = Datasets.load(tiny.descriptor(), options(), locator());
    DataSplits b = Datasets.load(tiny.descriptor(), options(), locator());
    List<float[]> first = batches(a, 7);
    List<float[]> again = batches(b, 7);
    List<float[]> other = batches(a, 8);
    boolean differs = false;
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(first.get(i), again.get(i), "batch " + i);
      differs |= !Arrays.equals(first.get(i), other.get(i));
    }
    assertTrue(differs, "another seed should give other batches");
    // Another data seed holds out other examples.
    DataSplits c = Datasets.load(tiny.descriptor(), options().withDataSeed(1), locator());
    assertFalse(Arrays.equals(labels(a.validation().orElseThrow()), labels(c.validation().orElseThrow()))
        && Arrays.equals(first.get(0), batches(c, 7).get(0)));
  }

  private static List<float[]> batches(DataSplits s, long seed) {
    BatchSampler sampler = new BatchSampler(s.train(), 5, seed, s.augmentation());
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      out.add(sampler.next().input().data());
    }
    return out;
  }

  private static int[] labels(LabeledDataset d) {
    int[] y = new int[d.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = d.label(i);
    }
    return y;
  }

  @Test
  void aChecksumMismatchNamesTheFileAndTheFix() throws IOException {
    Path dir = tiny.write(tmp.resolve("data/tiny"), false);
    byte[] img = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte"));
    img[100] ^= 1;
    Files.write(dir.resolve("train-images-idx3-ubyte"), img);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> Datasets.load(tiny.descriptor(), options(), locator()));
    assertEquals(dir.resolve("train-images-idx3-ubyte"), e.file());
    assertTrue(e.getMessage().contains("checksum mismatch: sha256 " + DataFile.sha256(img)), e.getMessage());
    assertTrue(e.getMessage().contains("expected " + tiny.descriptor().trainFiles().get(0).contentSha256()));
    assertTrue(e.getMessage().contains("run 'resbench data fetch tiny'"), e.getMessage());
    // Without verification the same bytes load (for files one made oneself).
    assertEquals(32, Datasets.load(tiny.descriptor(), options().withVerify(false), locator()).train().size());
  }

  @Test
  void officialCountsAreChecked() {
    DataFixtures.Tiny c = DataFixtures.tinyCifar("tinycifar", new int[] {4, 5}, 3, 1);
    Path dir = c.write(tmp.resolve("data/tinycifar"), false);
    DataSplits s = Datasets.load(c.descriptor(), options().withValidationSize(2).withPadTo(0), locator());
    assertEquals(7, s.train().size());
    assertEquals(Shape.of(3, 32, 32), s.train().sampleShape());
    assertEquals(3, s.normalization().orElseThrow().channels());
    assertTrue(((PadCropFlip) s.augmentation()).flip(), "CIFAR flips by default");
    assertTrue(s.provenance().get("checksums").startsWith("unverified"), s.provenance().get("checksums"));
    // A descriptor that expects more examples than the files hold.
    DatasetDescriptor d = c.descriptor();
    DatasetDescriptor bigger = new DatasetDescriptor(d.name(), d.title(), d.format(), d.imageShape(), d.classNames(),
        d.trainFiles(), d.testFiles(), 50_000, d.testCount(), true, d.subdirectories(), d.systemPlaces(),
        d.archive(), d.manualHint());
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> Datasets.load(bigger, options().withPadTo(0), locator()));
    assertEquals(dir, e.file());
    assertTrue(e.getMessage().contains("the training split has 9 examples; the official Tiny tinycifar has 50,000"),
        e.getMessage());
  }

  @Test
  void aMissingDataSetFallsBackToSyntheticLoudly() {
    List<String> notices = new ArrayList<>();
    DataSplits s = Datasets.loadOrSynthetic("fashion-mnist", options().withSyntheticSizes(100, 20).withPadTo(32),
        locator(), notices::add);
    assertTrue(s.synthetic());
    assertEquals(1, notices.size());
    String n = notices.get(0);
    assertTrue(n.contains("NOTICE: Fashion-MNIST was not found, so this run uses the SYNTHETIC data set"), n);
    assertTrue(n.contains("Looked in:") && n.contains("resbench data fetch fashion-mnist"), n);
    assertEquals(Shape.of(1, 32, 32), s.train().sampleShape(), "the shape the real data would have had");
    assertEquals(10, s.train().numClasses());
    assertEquals(92, s.train().size());
    assertEquals(8, s.validation().orElseThrow().size());
    assertEquals(20, s.test().size());
    assertEquals("fashion-mnist", s.provenance().get("fallbackFor"));
  }

  @Test
  void aCorruptDataSetDoesNotFallBack() throws IOException {
    Path dir = tmp.resolve("data/fashion-mnist");
    Files.createDirectories(dir);
    for (DatasetDescriptor.FileSpec f : KnownDatasets.FASHION_MNIST.files()) {
      Files.write(dir.resolve(f.name()), new byte[] {0, 0, 8, 3});
    }
    List<String> notices = new ArrayList<>();
    assertThrows(DataFormatException.class,
        () -> Datasets.loadOrSynthetic("fashion-mnist", options(), locator(), notices::add));
    assertTrue(notices.isEmpty());
  }

  @Test
  void syntheticByNameIsSeeded() {
    DataOptions o = options().withSyntheticSizes(50, 10);
    DataSplits a = Datasets.load("synthetic", o, locator());
    DataSplits b = Datasets.load("synthetic", o, locator());
    assertEquals(Shape.of(3, 32, 32), a.train().sampleShape());
    float[] x = new float[a.train().sampleShape().size()];
    float[] y = new float[x.length];
    a.test().copyInput(3, x, 0);
    b.test().copyInput(3, y, 0);
    assertArrayEquals(x, y);
    assertThrows(IllegalArgumentException.class, () -> Datasets.load("imagenet", o, locator()));
  }
}
