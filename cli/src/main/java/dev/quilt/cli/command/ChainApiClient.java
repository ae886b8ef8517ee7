package dev.quilt.cli.command;

import dev.quilt.chain.ChainClient;
import dev.quilt.cli.CliException;
import java.io.IOException;
import java.net.URI;

/** Runs calls of the chain's {@link ChainClient} for the user commands, turning its errors into one-line CLI errors. */
final class ChainApiClient {
    /** One call of the chain client. */
    @FunctionalInterface
    interface Call<T> {
        T on(ChainClient client) throws IOException, InterruptedException;
    }

    private final ChainClient client;

    ChainApiClient(String api) {
        try {
            this.client = new ChainClient(URI.create(api));
        } catch (IllegalArgumentException e) {
            throw CliException.input("--api: '" + api + "' (expected: a URL such as http://127.0.0.1:8545)");
        }
    }

    /** The call's answer; a 4xx refusal becomes an input error, anything else the chain being unavailable. */
    <T> T call(Call<T> call) {
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
