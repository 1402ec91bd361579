package org.resbench.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (set by Maven), plus the Java runtime. */
public final class VersionProvider implements IVersionProvider {

  /** The project version, or "dev" when running from classes without a manifest. */
  public static String version() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  @Override
  public String[] getVersion() {
    return new String[] {"resbench " + version(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
  }
}
