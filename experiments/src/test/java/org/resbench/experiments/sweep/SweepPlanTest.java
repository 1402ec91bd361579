package org.resbench.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.results.JsonCodec;

class SweepPlanTest {

  @Test
  void cellsAreTheGridsProductWithIdsFromTheResolvedConfig(@TempDir Path dir) throws Exception {
    SweepPlan plan = SweepPlan.of(SweepDefinition.read(Sweeps.write(dir, "mini.yaml", Sweeps.MINI)));
    assertEquals("mini", plan.definition().name());
    assertEquals(4, plan.cells().size());
    assertEquals(Map.of("seeds", List.of(1), "width", 16), plan.cells().get(0).point());
    assertEquals(Map.of("seeds", List.of(2), "width", 32), plan.cells().get(3).point());
    for (SweepPlan.Cell c : plan.cells()) {
      assertTrue(c.id().matches("[0-9a-f]{16}"), c.id());
      Map<String, Object> identity = new LinkedHashMap<>();
      identity.put("experiment", "shattered-gradients");
      identity.put("config", c.config());
      identity.put("backends", List.of("reference"));
      identity.put("data", "fashion-mnist");
      assertEquals(JsonCodec.hash(identity), c.id());
      assertEquals(c.point().get("width"), c.config().get("width"));
      assertEquals(List.of(1, 4), c.config().get("depths"));
      assertEquals("mini-" + c.id(), plan.runId(c));
    }
    assertEquals(4, new HashSet<>(plan.cells().stream().map(SweepPlan.Cell::id).toList()).size());
  }

  @Test
  void idsDoNotDependOnKeyOrderOrOnWhichRunPlansThem(@TempDir Path dir) throws Exception {
    SweepPlan a = SweepPlan.of(SweepDefinition.read(Sweeps.write(dir, "a.yaml", Sweeps.MINI)));
    String reordered = String.join("\n", "grid:", "  width: [16, 32]", "  seeds: [[1], [2]]", "set:",
        "  mlpFamilies: [ff-bn, res-bn]", "  convDepths: []", "  maxLag: 8", "  points: 32", "  depths: [1, 4]",
        "backends: [reference]", "experiment: shattered-gradients", "name: a", "");
    SweepPlan b = SweepPlan.of(SweepDefinition.read(Sweeps.write(dir.resolve("b"), "a.yaml", reordered)));
    Set<String> ids = new HashSet<>(a.cells().stream().map(SweepPlan.Cell::id).toList());
    assertEquals(ids, new HashSet<>(b.cells().stream().map(SweepPlan.Cell::id).toList()));
    // The plan order follows the grid's key order, but shards follow the sorted ids: the same cells either way.
    for (int n = 1; n <= 4; n++) {
      for (SweepPlan.Cell c : a.cells()) {
        SweepPlan.Cell same = b.cells().stream().filter(x -> x.id().equals(c.id())).findFirst().orElseThrow();
        assertEquals(a.shardOf(c, n), b.shardOf(same, n));
      }
    }
    assertEquals(SweepPlan.of(SweepDefinition.read(dir.resolve("a.yaml"))), a);
    // A value that changes a cell's resolved config changes its id and the plan's hash.
    SweepPlan c = SweepPlan.of(SweepDefinition.read(Sweeps.write(dir.resolve("c"), "a.yaml",
        Sweeps.MINI.replace("points: 32", "points: 33"))));
    assertNotEquals(a.cells().get(0).id(), c.cells().get(0).id());
    assertNotEquals(a.hash(), c.hash());
  }

  @Test
  void shardsPartitionTheCellsByTheirSortedIds(@TempDir Path dir) throws Exception {
    String big = Sweeps.MINI.replace("seeds: [[1], [2]]", "seeds: [[1], [2], [3], [4], [5]]");
    SweepPlan plan = SweepPlan.of(SweepDefinition.read(Sweeps.write(dir, "big.yaml", big)));
    List<String> sorted = plan.cells().stream().map(SweepPlan.Cell::id).sorted().toList();
    for (int n = 1; n <= 4; n++) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < n; i++) {
        for (SweepPlan.Cell c : plan.shard(new Shard(i, n))) {
          assertTrue(seen.add(c.id()), "cell in two shards");
          assertEquals(i, sorted.indexOf(c.id()) % n);
        }
      }
      assertEquals(10, seen.size());
    }
  }

  @Test
  void badSweepFilesAreUsageErrorsThatNameTheProblem(@TempDir Path dir) throws Exception {
    Path f = Sweeps.write(dir, "x.yaml", Sweeps.MINI.replace("experiment:", "experimnt:"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepDefinition.read(f));
    assertTrue(e.getMessage().contains("unknown key 'experimnt'; allowed: [name, experiment"), e.getMessage());
    Path g = Sweeps.write(dir, "g.yaml", Sweeps.MINI.replace("width: [16, 32]", "widht: [16, 32]"));
    e = assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(SweepDefinition.read(g)));
    assertTrue(e.getMessage().contains("cell 0 (seeds=[1] widht=16)") && e.getMessage()
        .contains("unknown field 'widht'"),
        e.getMessage());
    Path h = Sweeps.write(dir, "h.yaml", Sweeps.MINI.replace("backends: [reference]\n", ""));
    e = assertThrows(IllegalArgumentException.class, () -> SweepDefinition.read(h));
    assertTrue(e.getMessage().contains("backends: none"), e.getMessage());
    Path twin = Sweeps.write(dir, "t.yaml", Sweeps.MINI.replace("seeds: [[1], [2]]", "seeds: [[1], [1]]"));
    e = assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(SweepDefinition.read(twin)));
    assertTrue(e.getMessage().contains("resolve to the same configuration"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Shard.parse("2/2"));
    assertEquals(new Shard(1, 3), Shard.parse(" 1/3 "));

    CliRunner.Run r = CliRunner.run("sweep", "run", dir.resolve("missing.yaml").toString(), "--results",
        dir.resolve("r").toString());
    assertEquals(2, r.code(), r.err());
    r = CliRunner.run("sweep", "run", dir.resolve("x.yaml").toString(), "--results", dir.resolve("r").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown key 'experimnt'"), r.err());
    Path cuda = Sweeps.write(dir, "cuda.yaml", Sweeps.MINI.replace("[reference]", "[ort-cuda]"));
    r = CliRunner.run("sweep", "run", cuda.toString(), "--results", dir.resolve("r").toString());
    assertEquals(3, r.code(), "an unavailable backend stops the shard before any work: " + r.err());
    assertTrue(r.err().contains("ort-cuda") && r.err().contains("unavailable"), r.err());
  }

  @Test
  void planPrintsEveryCellWithItsShard(@TempDir Path dir) throws Exception {
    Path f = Sweeps.write(dir, "mini.yaml", Sweeps.MINI);
    CliRunner.Run r = CliRunner.run("sweep", "plan", f.toString(), "--shards", "2");
    assertEquals(0, r.code(), r.err());
    SweepPlan plan = SweepPlan.of(SweepDefinition.read(f));
    assertTrue(r.out().contains("sweep mini: shattered-gradients (smoke profile), 4 cells, plan " + plan.hash()),
        r.out());
    for (SweepPlan.Cell c : plan.cells()) {
      assertTrue(r.out().contains(c.id() + "    " + plan.shardOf(c, 2) + "/2  " + c.describe()), r.out());
    }
  }
}
