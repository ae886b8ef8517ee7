package dev.quilt.cli.command;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Snapshot;
import dev.quilt.chain.Transaction;
import dev.quilt.cli.CliException;
import dev.quilt.cli.ExitCodes;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Records a snapshot on the ledger (PublishSnapshot) and waits until it is final. */
final class SnapshotPublisher {
    private final ChainApiClient client;
    private final PrintWriter out;

    SnapshotPublisher(String api, PrintWriter out) {
        this.client = new ChainApiClient(api);
        this.out = out;
    }

    /** @return the exit code: OK when the record is final and accepted, INPUT when the ledger refused it */
    int publish(Path keyFile, String name, Hash256 manifest, long bytes, Optional<String> sourceChain,
            Optional<Long> sourceHeight) throws InterruptedException {
        Ed25519KeyPair publisher = ChainKeys.readSeed("--key", keyFile);
        if (client.call(c -> c.twinOf(publisher.publicKey())).isEmpty()) {
            throw CliException.input("key " + publisher.publicKey().hex()
                    + " has no twin on the chain, and only a twin can publish: create one first (quilt farm create makes one)");
        }
        Hash256 tx = client.signAndSubmit(publisher,
                new Transaction.PublishSnapshot(name, manifest, bytes, sourceChain, sourceHeight));
        out.println("submitted " + tx + " (publish snapshot '" + name + "')");
        out.flush();
        ChainClient.Receipt receipt = client.awaitFinal(tx, "snapshot publication");
        if (receipt.refusal().isPresent()) {
            out.println("final in block " + receipt.height() + ": refused: " + receipt.refusal().get());
            return ExitCodes.INPUT;
        }
        Optional<Snapshot> record = client.call(c -> c.snapshot(name));
        long version = record.flatMap(r -> r.find(manifest)).map(Snapshot.Version::version).orElse(0L);
        out.println("final in block " + receipt.height() + ": published '" + name + "' version " + version);
        return ExitCodes.OK;
    }

    /** Every snapshot on the ledger, newest version of each. */
    java.util.List<Snapshot> list() {
        return client.call(c -> c.snapshots(Optional.empty(), java.util.OptionalLong.empty()));
    }
}
