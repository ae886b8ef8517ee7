package dev.quilt.zdb.store;

/** What a DEL did. */
public enum DeleteOutcome {
    DELETED,
    NOT_FOUND,
    /** worm namespaces never delete */
    WORM_PROTECTED
}
