package org.resbench.harness.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.data.DataLocator.Location;

/** The search order, what counts as present, and the message when nothing is found. */
class DataLocatorTest {
  @TempDir
  Path tmp;

  private final DataFixtures.Tiny tiny = DataFixtures.tinyIdx("tiny", 20, 6, 1);

  private DataEnvironment env(boolean withVariable) {
    return new DataEnvironment(withVariable ? Map.of(DataEnvironment.DATA_VARIABLE, tmp.resolve("var").toString())
        : Map.of(), tmp.resolve("home"), tmp.resolve("sys"));
  }

  private Path flag() {
    return tmp.resolve("flag");
  }

  private Path variable() {
    return tmp.resolve("var");
  }

  private Path home() {
    return tmp.resolve("home/.resbench/data");
  }

  private Path system() {
    return tmp.resolve("sys/usr/share/datasets/tiny");
  }

  @Test
  void searchesDataDirThenVariableThenHomeThenSystem() throws IOException {
    Files.createDirectories(flag());
    Files.createDirectories(variable());
    DataLocator loc = new DataLocator(flag(), env(true));
    tiny.write(system(), true);
    assertEquals(system(), loc.locate(tiny.descriptor()).dir());
    assertTrue(loc.locate(tiny.descriptor()).place().origin().contains("test package tiny"));
    tiny.write(home().resolve("tiny"), false);
    assertEquals(home().resolve("tiny"), loc.locate(tiny.descriptor()).dir());
    tiny.write(variable().resolve("tiny"), true);
    assertEquals(variable().resolve("tiny"), loc.locate(tiny.descriptor()).dir());
    assertEquals("$RESBENCH_DATA", loc.locate(tiny.descriptor()).place().origin());
    tiny.write(flag(), false); // the files directly in --data-dir
    Location l = loc.locate(tiny.descriptor());
    assertEquals(flag(), l.dir());
    assertEquals("--data-dir", l.place().origin());
    tiny.write(flag().resolve("tiny"), true); // DIR/NAME comes before DIR itself
    l = loc.locate(tiny.descriptor());
    assertEquals(flag().resolve("tiny"), l.dir());
    assertTrue(l.path(tiny.descriptor().trainFiles().get(0)).toString().endsWith(".gz"));
  }

  @Test
  void placesAreListedInOrder() {
    List<DataLocator.Place> places = new DataLocator(flag(), env(true)).places(tiny.descriptor());
    assertEquals(List.of(flag().resolve("tiny"), flag(), variable().resolve("tiny"), variable(), home().resolve("tiny"),
        system()), places.stream().map(DataLocator.Place::dir).toList());
  }

  @Test
  void anIncompleteFolderIsNotAccepted() throws IOException {
    tiny.write(home().resolve("tiny"), false);
    Files.delete(home().resolve("tiny/t10k-labels-idx1-ubyte"));
    DataLocator loc = new DataLocator(null, env(false));
    DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> loc.locate(tiny.descriptor()));
    assertTrue(e.getMessage().contains(home().resolve("tiny") + ": incomplete, missing t10k-labels-idx1-ubyte"),
        e.getMessage());
  }

  @Test
  void notFoundListsEveryPlaceAndTheFetchCommand() throws IOException {
    Files.createDirectories(flag());
    DataLocator loc = new DataLocator(flag(), env(false));
    DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> loc.locate(tiny.descriptor()));
    String m = e.getMessage();
    assertTrue(m.startsWith("data set 'tiny' (Tiny tiny) not found. Looked in:"), m);
    assertTrue(m.contains("$RESBENCH_DATA: not set"), m);
    for (Path p : List.of(flag().resolve("tiny"), home().resolve("tiny"), system())) {
      assertTrue(m.contains(p + ": no such folder"), "missing " + p + " in:\n" + m);
    }
    assertTrue(m.contains(flag() + ": none of the files"), m);
    assertTrue(m.contains("To get it: resbench data fetch tiny"), m);
    assertTrue(m.contains("By hand: put the tiny files"), m);
    assertEquals("tiny", e.dataset());
    assertEquals(5, e.looked().size(), "4 folders and the unset variable");
  }

  /** Issue 17, class 5: a place the user named that is unusable is an error, never passed over in silence. */
  @Test
  void aNamedPlaceThatIsUnusableIsAnErrorNotAFallback() throws IOException {
    tiny.write(home().resolve("tiny"), false); // a good copy elsewhere must not be used instead
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> new DataLocator(flag(), env(false)).locate(tiny.descriptor()));
    assertEquals(flag(), e.file());
    assertTrue(e.getMessage().startsWith(flag() + ": no such folder (--data-dir); allowed: a readable folder"),
        e.getMessage());

    Files.writeString(tmp.resolve("a-file"), "x");
    e = assertThrows(DataFormatException.class,
        () -> new DataLocator(tmp.resolve("a-file"), env(false)).locate(tiny.descriptor()));
    assertTrue(e.getMessage().contains("a-file: not a folder (a file)"), e.getMessage());

    // A file of the data set replaced by a folder; another one missing.
    tiny.write(flag().resolve("tiny"), false);
    Path image = flag().resolve("tiny").resolve(tiny.descriptor().trainFiles().get(0).name());
    Files.delete(image);
    Files.createDirectories(image);
    e = assertThrows(DataFormatException.class, () -> new DataLocator(flag(), env(false)).locate(tiny.descriptor()));
    assertTrue(e.getMessage().contains("tiny is damaged: " + image.getFileName() + " is a folder, not a file"),
        e.getMessage());
    Files.delete(image);
    e = assertThrows(DataFormatException.class,
        () -> new DataLocator(flag(), env(false)).requireUsable(tiny.descriptor()));
    assertTrue(e.getMessage().contains("tiny is damaged: incomplete, missing " + image.getFileName()), e.getMessage());

    // A loop of links, and $RESBENCH_DATA like --data-dir.
    Path loop = tmp.resolve("loop");
    Files.createSymbolicLink(loop, loop);
    e = assertThrows(DataFormatException.class, () -> new DataLocator(loop, env(false)).locate(tiny.descriptor()));
    assertTrue(e.getMessage().contains("loop: too many levels of symbolic links"), e.getMessage());
    e = assertThrows(DataFormatException.class, () -> new DataLocator(null, env(true)).locate(tiny.descriptor()));
    assertTrue(e.getMessage().contains(variable() + ": no such folder ($RESBENCH_DATA)"), e.getMessage());

    // A named folder that is fine but simply lacks this data set is not an error: the search goes on.
    Path other = Files.createDirectories(tmp.resolve("other"));
    assertEquals(home().resolve("tiny"), new DataLocator(other, env(false)).locate(tiny.descriptor()).dir());
  }

  @Test
  void cifarFilesAreFoundInTheArchiveFolderToo() {
    DataFixtures.Tiny c = DataFixtures.tinyCifar("tinycifar", new int[] {2, 3}, 2, 4);
    c.write(home().resolve("tinycifar/cifar-10-batches-bin"), false);
    assertEquals(home().resolve("tinycifar/cifar-10-batches-bin"),
        new DataLocator(null, env(false)).locate(c.descriptor()).dir());
  }

  @Test
  void knownDataSetsResolveByNameAndAliases() {
    assertEquals(KnownDatasets.FASHION_MNIST, KnownDatasets.byName("Fashion-MNIST"));
    assertEquals(KnownDatasets.CIFAR10, KnownDatasets.byName("cifar-10"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnownDatasets.byName("imagenet"));
    assertTrue(e.getMessage().contains("allowed: fashion-mnist, mnist, cifar10"), e.getMessage());
    assertEquals("/usr/share/datasets/fashion-mnist", KnownDatasets.FASHION_MNIST.systemPlaces().get(0).path());
  }
}
