package dev.quilt.cli.command;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.SignedTransaction;
import dev.quilt.chain.Transaction;
import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Runs calls of the chain's {@link ChainClient} for the user commands, turning its errors into one-line CLI errors. */
public final class ChainApiClient {
    /** One call of the chain client. */
    @FunctionalInterface
    public interface Call<T> {
        T on(ChainClient client) throws IOException, InterruptedException;
    }

    private final ChainClient client;

    public ChainApiClient(String api) {
        try {
            this.client = new ChainClient(URI.create(api));
        } catch (IllegalArgumentException e) {
            throw CliException.input("--api: '" + api + "' (expected: a URL such as http://127.0.0.1:8545)");
        }
    }

    /** Blocks a signed transaction stays valid for. */
    static final long VALIDITY_BLOCKS = 100;

    /** How long a command waits for its transaction's block to become final. */
    private static final Duration FINALITY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Signs {@code payload} with the sender's next nonce and the node's chain id, valid for
     * {@link #VALIDITY_BLOCKS} blocks from the head, and submits it; the answer is its hash.
     */
    public Hash256 signAndSubmit(Ed25519KeyPair sender, Transaction payload) {
        ChainClient.Status status = call(ChainClient::status);
        long nonce = call(c -> c.account(sender.publicKey())).nonce();
        SignedTransaction tx = SignedTransaction.sign(sender, status.chainId(), nonce, status.height() + VALIDITY_BLOCKS, payload);
        return call(c -> c.submit(tx));
    }

    /** The receipt once the transaction's block is final; unavailable after {@link #FINALITY_TIMEOUT}. */
    public ChainClient.Receipt awaitFinal(Hash256 hash, String what) throws InterruptedException {
        long deadline = System.nanoTime() + FINALITY_TIMEOUT.toNanos();
        while (true) {
            Optional<ChainClient.Receipt> receipt = call(c -> c.receipt(hash));
            if (receipt.isPresent() && receipt.get().isFinal()) {
                return receipt.get();
            }
            if (System.nanoTime() > deadline) {
                throw CliException.unavailable(what + " " + hash + " is not final after " + FINALITY_TIMEOUT.toSeconds()
                        + " s; check it later with the API", null);
            }
            Thread.sleep(200);
        }
    }

    /** The call's answer; a 4xx refusal becomes an input error, anything else the chain being unavailable. */
    public <T> T call(Call<T> call) {
        try {
            return call.on(client);
        } catch (ChainClient.ApiException e) {
            throw e.status() / 100 == 4 ? CliException.input(e.getMessage()) : CliException.unavailable(e.getMessage(), e);
        } catch (IOException e) {
            throw CliException.unavailable("cannot reach the chain API at " + client.base() + " (" + e.getMessage()
                    + "); is quilt chain run up, and is --api right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while calling " + client.base(), e);
        }
    }
}
