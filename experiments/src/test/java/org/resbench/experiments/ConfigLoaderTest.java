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
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", null,
        List.of("maxLag=0")));
    assertTrue(e.getMessage().contains("maxLag=0; allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "fast", null, null));
    assertTrue(e.getMessage().contains("allowed: smoke, paper"));
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", null,
        List.of("novalue")));
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

  /** Issue 17, class 5: nothing in a config is silently changed or silently ignored. */
  @Test
  void nothingIsSilentlyChangedOrIgnored(@TempDir Path dir) throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.resolve(exp, "smoke", null, List.of("points=1.5")));
    assertTrue(e.getMessage().contains("points: 1.5 is not an integer (no fraction)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", null,
        List.of("seeds=[1.5]")));
    assertTrue(e.getMessage().contains("seeds[0]: 1.5 is not an integer (no fraction)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", null,
        List.of("width=10.9")));
    assertTrue(e.getMessage().contains("width: 10.9 is not an integer"), e.getMessage());
    assertEquals(10, ConfigLoader.resolve(exp, "smoke", null, List.of("width=10")).config().width());

    Path dup = dir.resolve("dup.yaml");
    Files.writeString(dup, "width: 50\nwidth: 60\n");
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", dup, null));
    assertTrue(e.getMessage().contains("'width' is given twice"), e.getMessage());

    Path two = dir.resolve("two.yaml");
    Files.writeString(two, "width: 50\n---\nwidth: 60\n");
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", two, null));
    assertTrue(e.getMessage().contains("more than one YAML document"), e.getMessage());

    Path mixed = dir.resolve("mixed.yaml");
    Files.writeString(mixed, "smoke:\n  width: 32\nwidth: 50\n");
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", mixed, null));
    assertTrue(e.getMessage().contains("mixes profile sections (smoke) with other top-level keys (width)"),
        e.getMessage());

    Path other = dir.resolve("other.yaml");
    Files.writeString(other, "paper:\n  width: 64\n");
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", other, null));
    assertTrue(e.getMessage().contains("has no section for profile 'smoke'"), e.getMessage());

    Path both = dir.resolve("both.yaml");
    Files.writeString(both, "paper:\n  width: 64\nsmoke:\n  width: 32\n");
    ConfigLoader.Resolved<ShatteredGradientsConfig> r = ConfigLoader.resolve(exp, "smoke", both, null);
    assertEquals(List.of("--config " + both + ": section 'paper' is not used (this run's profile is smoke)"),
        r.warnings());

    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "smoke:\n  width: 32\npaperr:\n  width: 64\n");
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", typo, null));
    assertTrue(e.getMessage().contains("other top-level keys (paperr)"), e.getMessage());
  }

  /** Issue 17, class 6: messages name the field, the value and what is allowed, without Java class names. */
  @Test
  void messagesNameFieldValueAndAllowed(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.resolve(exp, "smoke", null, List.of("width=abc")));
    assertTrue(e.getMessage().contains("width: 'abc' is not an integer (no fraction); allowed: an integer"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", null,
        List.of("convBnMode=SOMETIMES")));
    assertTrue(e.getMessage().contains("convBnMode: 'SOMETIMES' is not one of [TRAIN, INFERENCE]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", null,
        List.of("depths=[1, two]")));
    assertTrue(e.getMessage().contains("depths[1]: 'two' is not an integer"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.resolve(exp, "smoke", dir.resolve("missing.yaml"), null));
    assertTrue(e.getMessage().contains("missing.yaml: no such file or folder"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.resolve(exp, "smoke", dir, null));
    assertTrue(e.getMessage().contains(": a folder, not a file"), e.getMessage());
    for (String m : new String[] {e.getMessage()}) {
      assertTrue(!m.contains("java.") && !m.contains("Exception") && !m.contains("`"), m);
    }
  }
}
