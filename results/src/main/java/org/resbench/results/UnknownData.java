package org.resbench.results;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The data of a record whose experiment this build does not know (written by an older or newer version, or
 * by a plug-in not on the class path): its type name and its JSON as stored, kept whole so that writing the
 * record again loses nothing. Immutable (the tree is a private deep copy).
 *
 * @param type the stored {@code type} name, or null when the record had none
 * @param json the stored data object, {@code type} field included
 */
public record UnknownData(String type, JsonNode json) implements ExperimentData {
  public UnknownData {
    json = json.deepCopy();
  }

  @Override
  public JsonNode json() {
    return json.deepCopy();
  }
}
