package dev.quiver.dicts;

/** The observer a dict starts with: it ignores everything. */
enum NoOpDictObserver implements DictObserver {

    INSTANCE
}
