package org.resbench.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.experiments.shattered.ShatteredGradientsConfig;
import org.resbench.experiments.shattered.ShatteredGradientsExperiment;
import org.resbench.harness.backend.BnMode;

class ConfigLoaderTest {
  private final ShatteredGradientsExperiment exp = new ShatteredGradientsExperiment();

  @Test
  void everyExperimentHasBothProfilesAndTheyBind() {
    for (Experiment<?> e : ExperimentCatalog.all()) {
      for (String p : ConfigLoader.PROFILES) {
        ConfigLoader.Resolved<?> r = ConfigLoader.resolve(e, p, null, null);
        assertEquals(p, r.profile());
        assertTrue(!r.asMap().isEmpty());
      }
    }
  }

  @Test
  void cliOverridesFileOverridesProfile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "width: 50\ndepths: [1, 2, 3]\nconvBnMode: INFERENCE\n");
    ConfigLoader.Resolved<ShatteredGradientsConfig> r = ConfigLoader.resolve(exp, "smoke", f,
        List.of("depths=[4, 8]", "seeds=[9]"));
    assertEquals(50, r.config().width());
    assertEquals(List.of(4, 8), r.config().depths());
    assertEquals(List.of(9L), r.config().seeds());
    assertEquals(BnMode.INFERENCE, r.config().convBnMode());
    assertEquals(256, r.config().points(), "untouched fields keep the profile's value");
    assertEquals("smoke+custom", r.profile());
    assertEquals(List.of(4, 8), r.asMap().get("depths"));
  }

  @Test
  void aFileMayNameTheProfile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "paper:\n  width: 64\nsmoke:\n  width: 32\n");
    assertEquals(64, ConfigLoader.resolve(exp, "paper", f, null).config().width());
    assertEquals(32, ConfigLoader.resolve(exp, "smoke", f, null).config().width());
  }

  @Test
  void mistakesAreNamed(@TempDir Path dir) throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.resolve(exp, "smoke", null, List.of("deptsh=[1]")));
    assertTrue(e.getMessage().contains("unknown field 'deptsh'") && e.getMessage().contains("depths"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", null, List.of("maxLag=0")));
    assertTrue(e.getMessage().contains("maxLag=0; allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "fast", null, null));
    assertTrue(e.getMessage().contains("allowed: smoke, paper"));
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", null, List.of("novalue")));
    assertTrue(e.getMessage().contains("allowed: key=value"));
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "width: [unclosed\n");
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", bad, null));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    Files.writeString(bad, "width: many\n");
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", bad, null));
    assertTrue(e.getMessage().contains("shattered-gradients config"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.resolve(exp, "smoke", dir.resolve("missing.yaml"), null));
    assertTrue(e.getMessage().contains("missing.yaml"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.resolve(exp, "smoke", null, List.of("mlpFamilies=[ff-bn, vgg]")));
    assertTrue(e.getMessage().contains("'vgg'"), e.getMessage());
  }
}
