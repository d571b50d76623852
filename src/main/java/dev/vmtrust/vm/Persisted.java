package dev.vmtrust.vm;

/** What happened to vmtrust's provision entry in a YAML file (JSON key "persisted"). */
public enum Persisted {
    UNCHANGED,
    UPDATED,
    FAILED,
    SKIPPED,
    WOULD_UPDATE
}
