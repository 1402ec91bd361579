package org.resbench.results;

/** A backend as a run used it: name, engine and version, device. Immutable. */
public record BackendInfo(String name, String engine, String engineVersion, String device) {}
