package org.resbench.cli;

import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses spec names on the command line; a bad name is a usage error (exit 2) that shows the grammar. */
public final class SpecConverter implements ITypeConverter<ModelSpec> {
  @Override
  public ModelSpec convert(String value) {
    try {
      return SpecNames.build(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage() + ". Run 'resbench specs' for the families.");
    }
  }
}
