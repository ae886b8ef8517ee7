/**
 * zdb's storage engine. Start at {@link dev.quilt.zdb.store.Store} (opening, namespaces, durability) and
 * {@link dev.quilt.zdb.store.Namespace} (the data commands); outcomes of data rules are the sealed results
 * {@link dev.quilt.zdb.store.SetOutcome}, {@link dev.quilt.zdb.store.HistoryOutcome} and
 * {@link dev.quilt.zdb.store.RawRecordOutcome}.
 *
 * <p>The implementation is package-private: {@code FileStore} and {@code FileNamespace} on top of the file
 * formats {@code DataFile} (the source of truth), {@code IndexFile} (derived hints) and
 * {@code NamespaceDescriptor}; the memory tables {@code KeyTable} and {@code SeqTable}; {@code Recovery}
 * at load; {@code Syncer} for fsyncs and {@code Compactor} for space reclamation. The byte layouts are in
 * those classes' Javadoc and in {@code docs/formats/zdb.md}.
 */
package dev.quilt.zdb.store;
