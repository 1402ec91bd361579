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
  void searchesDataDirThenVariableThenHomeThenSystem() {
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
  void notFoundListsEveryPlaceAndTheFetchCommand() {
    DataLocator loc = new DataLocator(flag(), env(false));
    DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> loc.locate(tiny.descriptor()));
    String m = e.getMessage();
    assertTrue(m.startsWith("data set 'tiny' (Tiny tiny) not found. Looked in:"), m);
    assertTrue(m.contains("$RESBENCH_DATA: not set"), m);
    for (Path p : List.of(flag().resolve("tiny"), flag(), home().resolve("tiny"), system())) {
      assertTrue(m.contains(p + ": no such folder"), "missing " + p + " in:\n" + m);
    }
    assertTrue(m.contains("To get it: resbench data fetch tiny"), m);
    assertTrue(m.contains("By hand: put the tiny files"), m);
    assertEquals("tiny", e.dataset());
    assertEquals(5, e.looked().size(), "4 folders and the unset variable");
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
