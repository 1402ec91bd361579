package org.resbench.harness.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.resbench.harness.data.DataLocator.Location;
import org.resbench.harness.data.DatasetDescriptor.FileSpec;
import org.resbench.harness.data.DatasetDescriptor.Format;
import org.resbench.harness.spec.Shape;

/**
 * The one entry point experiments use for data:
 * <pre>{@code
 * DataSplits d = Datasets.load("fashion-mnist", DataOptions.defaults().withDataDir(dir));
 * Trainer.train(session, d.train(), d.validation().orElse(d.test()), config with d.augmentation(), ...);
 * }</pre>
 * {@link #load} finds the files ({@link DataLocator}), checks their checksums, reads them, normalises with the
 * data set's own training statistics, pads digits to 32x32, and holds out a seeded validation split.
 * {@link #loadOrSynthetic} does the same but falls back, loudly, to the synthetic set when the data set is
 * absent (never when it is present but corrupt). Stateless and thread-safe.
 */
public final class Datasets {
  private Datasets() {}

  /** Loads {@code name} (see {@link KnownDatasets#names()}) from the standard places and {@code o.dataDir()}. */
  public static DataSplits load(String name, DataOptions o) {
    return load(name, o, DataLocator.standard(o.dataDir()));
  }

  /** Loads {@code name} with {@code locator}. */
  public static DataSplits load(String name, DataOptions o, DataLocator locator) {
    if (KnownDatasets.SYNTHETIC.equalsIgnoreCase(name == null ? "" : name.trim())) {
      return synthetic(Shape.of(3, 32, 32), 10, o);
    }
    return load(KnownDatasets.byName(name), o, locator);
  }

  /**
   * Loads {@code name}, or, when it is not found anywhere, the synthetic set in its shape, after passing
   * {@code notice} a loud multi-line message that says so. A present but corrupt data set still fails.
   */
  public static DataSplits loadOrSynthetic(String name, DataOptions o, DataLocator locator, Consumer<String> notice) {
    try {
      return load(name, o, locator);
    } catch (DatasetNotFoundException e) {
      DatasetDescriptor d = KnownDatasets.byName(name);
      String bar = "*".repeat(78);
      notice.accept(bar + "\nNOTICE: " + d.title() + " was not found, so this run uses the SYNTHETIC data set"
          + " instead.\nIts numbers are NOT comparable with published " + d.title() + " results.\n"
          + e.getMessage() + "\n" + bar);
      DataSplits s = synthetic(Preprocessing.outputShape(d.imageShape(), o.padTo()), d.classes(), o);
      Map<String, String> p = new LinkedHashMap<>(s.provenance());
      p.put("fallbackFor", d.name());
      return new DataSplits(s.dataset(), true, s.train(), s.validation().orElse(null), s.test(), s.augmentation(),
          null, p);
    }
  }

  /** {@link #loadOrSynthetic(String, DataOptions, DataLocator, Consumer)} with the standard locator. */
  public static DataSplits loadOrSynthetic(String name, DataOptions o, Consumer<String> notice) {
    return loadOrSynthetic(name, o, DataLocator.standard(o.dataDir()), notice);
  }

  /**
   * The seeded synthetic set ({@link SyntheticImageDataset}) of {@code shape}: {@code o.syntheticTrain()}
   * training examples of which min(validation size, a tenth) are held out, and {@code o.syntheticTest()} test
   * examples, all from one generator (same class prototypes). No augmentation: shifting the sinusoidal
   * prototypes would change what defines a class.
   */
  public static DataSplits synthetic(Shape shape, int classes, DataOptions o) {
    int val = Math.min(o.validationSize(), o.syntheticTrain() / 10);
    InMemoryDataset all = SyntheticImageDataset.generate("synthetic", shape, classes,
        o.syntheticTrain() + o.syntheticTest(), 0.5, o.dataSeed());
    int trainN = o.syntheticTrain() - val;
    LabeledDataset train = InMemoryDataset.copyOf("synthetic/train", all, 0, trainN);
    LabeledDataset validation = val == 0 ? null : InMemoryDataset.copyOf("synthetic/validation", all, trainN, val);
    LabeledDataset test = InMemoryDataset.copyOf("synthetic/test", all, o.syntheticTrain(), o.syntheticTest());
    Map<String, String> p = new LinkedHashMap<>();
    p.put("dataset", KnownDatasets.SYNTHETIC);
    p.put("synthetic", "true");
    p.put("shape", shape.toString());
    p.put("classes", Integer.toString(classes));
    p.put("sizes", trainN + "/" + val + "/" + o.syntheticTest() + " (train/validation/test)");
    p.put("dataSeed", Long.toString(o.dataSeed()));
    p.put("augmentation", "none");
    return new DataSplits(KnownDatasets.SYNTHETIC, true, train, validation, test, Augmentation.NONE, null, p);
  }

  /** Loads a described data set with {@code locator}. */
  public static DataSplits load(DatasetDescriptor d, DataOptions o, DataLocator locator) {
    Location loc = locator.locate(d);
    RawSplits raw = readRaw(loc, o.verify());
    Normalization norm = o.normalization() != null ? o.normalization() : Normalization.of(raw.train());
    int padTo = o.padTo();
    Preprocessing.outputShape(d.imageShape(), padTo); // rejects a canvas smaller than the images early
    ValidationSplit split = o.validationSize() == 0 ? null
        : ValidationSplit.of(raw.train().count(), o.validationSize(), o.dataSeed());
    int[] trainIdx = split == null ? Preprocessing.all(raw.train().count()) : split.train();
    LabeledDataset train = Preprocessing.toDataset(d.name() + "/train", raw.train(), trainIdx, norm, padTo,
        d.classes());
    LabeledDataset validation = split == null ? null
        : Preprocessing.toDataset(d.name() + "/validation", raw.train(), split.validation(), norm, padTo, d.classes());
    LabeledDataset test = Preprocessing.toDataset(d.name() + "/test", raw.test(), Preprocessing.all(raw.test().count()),
        norm, padTo, d.classes());
    Augmentation aug = Augmentation.NONE;
    boolean flip = o.flip() != null ? o.flip() : d.flipByDefault();
    if (o.augment()) {
      aug = new PadCropFlip(4, flip, blackFill(norm));
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("dataset", d.name());
    p.put("synthetic", "false");
    p.put("location", loc.dir().toString());
    p.put("foundIn", loc.place().origin());
    p.put("checksums", raw.summary());
    for (Verification.FileCheck c : raw.checks()) {
      p.put("sha256:" + c.path().getFileName(), c.sha256() + " (" + c.verdict().label() + ")");
    }
    p.put("shape", train.sampleShape().toString());
    p.put("classes", Integer.toString(d.classes()));
    p.put("sizes", train.size() + "/" + (validation == null ? 0 : validation.size()) + "/" + test.size()
        + " (train/validation/test)");
    p.put("dataSeed", Long.toString(o.dataSeed()));
    p.put("normalization", (o.normalization() != null ? "fixed " : "training-split statistics ") + norm);
    p.put("padTo", padTo == 0 ? "none" : Integer.toString(padTo));
    p.put("augmentation", o.augment() ? aug.toString() : "none");
    return new DataSplits(d.name(), false, train, validation, test, aug, norm, p);
  }

  /** The per-channel value of a black (raw 0) pixel after {@code norm}: the border the padding uses. */
  static float[] blackFill(Normalization norm) {
    float[] f = new float[norm.channels()];
    for (int c = 0; c < f.length; c++) {
      f[c] = norm.apply(c, 0);
    }
    return f;
  }

  /**
   * The raw images of a located data set, with every file's checksum verdict.
   *
   * @param checks the verdict of each file (VERIFIED or UNVERIFIED; mismatches throw)
   */
  public record RawSplits(RawImages train, RawImages test, List<Verification.FileCheck> checks) {
    public RawSplits {
      checks = List.copyOf(checks);
    }

    /** {@code verified (4/4 files)} or {@code unverified (...)}. */
    public String summary() {
      long ok = checks.stream().filter(c -> c.verdict() == Verification.Verdict.VERIFIED).count();
      return ok == checks.size() ? "verified (" + ok + "/" + checks.size() + " files, sha256)"
          : checks.isEmpty() ? "not checked"
          : "unverified (no checksum known for " + (checks.size() - ok) + "/" + checks.size() + " files)";
    }
  }

  /**
   * Reads a located data set's images and labels.
   *
   * @param verify whether to check checksums (a mismatch throws {@link DataFormatException}) and official counts
   */
  public static RawSplits readRaw(Location loc, boolean verify) {
    DatasetDescriptor d = loc.dataset();
    Map<String, String> manifest = verify ? Verification.readManifest(loc.dir()) : Map.of();
    List<Verification.FileCheck> checks = new ArrayList<>();
    RawImages train = readSplit(loc, d.trainFiles(), manifest, checks, verify, "train");
    RawImages test = readSplit(loc, d.testFiles(), manifest, checks, verify, "test");
    if (verify) {
      checkCount(loc, "training", train.count(), d.trainCount());
      checkCount(loc, "test", test.count(), d.testCount());
    }
    return new RawSplits(train, test, checks);
  }

  private static void checkCount(Location loc, String split, int actual, int expected) {
    if (expected > 0 && actual != expected) {
      throw new DataFormatException(loc.dir(), String.format(Locale.ROOT,
          "the %s split has %,d examples; the official %s has %,d. Some files are truncated or not the official ones;"
              + " run '%s'", split, actual, loc.dataset().title(), expected, loc.dataset().fetchCommand()));
    }
  }

  private static RawImages readSplit(Location loc, List<FileSpec> files, Map<String, String> manifest,
      List<Verification.FileCheck> checks, boolean verify, String split) {
    DatasetDescriptor d = loc.dataset();
    List<DataFile> read = new ArrayList<>();
    for (FileSpec f : files) {
      DataFile file = DataFile.read(loc.path(f));
      if (verify) {
        checks.add(Verification.require(d, f, file, manifest));
      }
      read.add(file);
    }
    if (d.format() == Format.IDX) {
      return IdxFormat.read(read.get(0), read.get(1), d.classes());
    }
    List<RawImages> parts = new ArrayList<>();
    for (DataFile f : read) {
      parts.add(CifarFormat.read(f, d.classes()));
    }
    return RawImages.concat(d.name() + "/" + split, parts);
  }
}
