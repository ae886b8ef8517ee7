package dev.quilt.node;

import dev.quilt.chain.Contract;
import dev.quilt.chain.ContractKind;
import dev.quilt.chain.ContractState;
import dev.quilt.chain.Resources;
import dev.quilt.chain.StateKeys;
import dev.quilt.chain.Twin;
import dev.quilt.common.codec.CodecException;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The trust model of a node, one method per check: a deployment runs only when (1) a node
 * contract for this node is in final state, (2) the document hashes to that contract's deployment
 * hash, (3) the envelope is signed by the key of the twin that owns the contract, for this chain,
 * node, contract and version, and (4) the document fits in what the contract reserved and in what
 * this node has left. Every fact about the ledger comes from {@link FinalState}, which believes
 * nothing the light client has not checked.
 *
 * <p>Thread-safe (stateless apart from its collaborators, which are).
 */
final class DeploymentVerifier {
    private final FinalState chain;
    private final long nodeId;
    private final Resources capacity;
    private final DeploymentStore store;
    private final java.time.Clock clock;

    DeploymentVerifier(FinalState chain, long nodeId, Resources capacity, DeploymentStore store, java.time.Clock clock) {
        this.chain = chain;
        this.clock = clock;
        this.nodeId = nodeId;
        this.capacity = capacity;
        this.store = store;
    }

    Decision verify(SignedDeployment d) throws InterruptedException {
        try {
            if (!d.chainId().equals(chain.chainId())) {
                return forbidden("signed for chain %s, not this chain %s", d.chainId(), chain.chainId());
            }
            if (d.nodeId() != nodeId) {
                return forbidden("signed for node %d, not this node %d", d.nodeId(), nodeId);
            }
            FinalState.Entry entry = chain.entry(StateKeys.contract(d.contractId()));
            if (entry.value().isEmpty()) {
                return forbidden("contract %d is not final yet (not in the state of final block %d)", d.contractId(), entry.height());
            }
            Contract contract = Contract.decodeEntry(entry.value().get());
            Optional<Decision> refusal = checkContract(contract)
                    .or(() -> checkHash(d, contract))
                    .or(() -> checkOwner(d, contract))
                    .or(() -> checkCapacity(d, contract))
                    .or(() -> checkVersion(d));
            return refusal.orElse(new Decision.Accept(d, entry.height()));
        } catch (FinalState.NotFinalException e) {
            return new Decision.Refuse(503, e.getMessage() + "; retry in a moment");
        } catch (IOException | java.io.UncheckedIOException e) {
            return new Decision.Refuse(503, "cannot check against the chain: " + e.getMessage());
        } catch (CodecException e) {
            return new Decision.Refuse(503, "the chain's entry does not decode: " + e.getMessage());
        }
    }

    /** A status query is answered only for the owner of a final contract for this node; null when it may be. */
    Decision.Refuse verifyQuery(StatusQuery q) throws InterruptedException {
        try {
            if (!q.chainId().equals(chain.chainId()) || q.nodeId() != nodeId) {
                return (Decision.Refuse) forbidden("query for chain %s node %d, not this chain %s node %d", q.chainId(),
                        q.nodeId(), chain.chainId(), nodeId);
            }
            long skew = Math.abs(clock.millis() / 1000 - q.issuedAt());
            if (skew > StatusQuery.MAX_SKEW_SECONDS) {
                return (Decision.Refuse) forbidden("query issued at %d is %d s off this node's clock (expected: <= %d)",
                        q.issuedAt(), skew, StatusQuery.MAX_SKEW_SECONDS);
            }
            if (!q.verifies()) {
                return (Decision.Refuse) forbidden("query signature does not verify");
            }
            FinalState.Entry entry = chain.entry(StateKeys.contract(q.contractId()));
            if (entry.value().isEmpty()) {
                return (Decision.Refuse) forbidden("contract %d is not final yet (not in the state of final block %d)",
                        q.contractId(), entry.height());
            }
            Contract c = Contract.decodeEntry(entry.value().get());
            Optional<Twin> owner = chain.entry(StateKeys.twin(c.twinId())).value().map(Twin::decodeEntry);
            if (c.nodeId() != nodeId || owner.isEmpty() || !owner.get().account().equals(q.signer())) {
                return (Decision.Refuse) forbidden("not signed by the owner of a contract on this node (contract %d, twin %d)",
                        c.id(), c.twinId());
            }
            return null;
        } catch (IOException e) {
            return new Decision.Refuse(503, "cannot check against the chain: " + e.getMessage());
        }
    }

    /** Check 1: a live node contract for this node. */
    private Optional<Decision> checkContract(Contract c) {
        if (!(c.kind() instanceof ContractKind.NodeContract n)) {
            return Optional.of(forbidden("contract %d is a %s, not a node contract", c.id(), c.kind().getClass().getSimpleName()));
        }
        if (n.nodeId() != nodeId) {
            return Optional.of(forbidden("contract %d is for node %d, not this node %d", c.id(), n.nodeId(), nodeId));
        }
        return switch (c.state()) {
            case ContractState.Created created -> Optional.empty();
            case ContractState.GracePeriod g -> Optional.of(forbidden("contract %d is in its grace period since %d; pay its debt first", c.id(), g.since()));
            case ContractState.Deleted del -> Optional.of(forbidden("contract %d is deleted (%s)", c.id(), del.reason()));
        };
    }

    /** Check 2: the document is the one the contract names. */
    private Optional<Decision> checkHash(SignedDeployment d, Contract c) {
        var expected = ((ContractKind.NodeContract) c.kind()).deploymentHash();
        var actual = d.document().hash();
        return actual.equals(expected) ? Optional.empty()
                : Optional.of(forbidden("document hash %s does not match contract %d's deployment hash %s", actual, c.id(), expected));
    }

    /** Check 3: the owner's twin key signed this envelope. */
    private Optional<Decision> checkOwner(SignedDeployment d, Contract c) {
        if (!d.verifies()) {
            return Optional.of(forbidden("signature does not verify for chain %s, node %d, contract %d, version %d",
                    d.chainId(), d.nodeId(), d.contractId(), d.document().version()));
        }
        try {
            FinalState.Entry entry = chain.entry(StateKeys.twin(c.twinId()));
            Optional<Twin> owner = entry.value().map(Twin::decodeEntry);
            if (owner.isEmpty() || !owner.get().account().equals(d.signer())) {
                return Optional.of(forbidden("not signed by contract %d's owner (twin %d): signer %s", c.id(), c.twinId(), d.signer()));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        }
    }

    /** Check 4: within the contract's reservation, and within what this node has not promised to other contracts. */
    private Optional<Decision> checkCapacity(SignedDeployment d, Contract c) {
        Resources wanted;
        try {
            wanted = d.document().resources();
        } catch (ArithmeticException e) {
            return Optional.of(forbidden("document asks for more resources than can be counted"));
        }
        Resources reserved = ((ContractKind.NodeContract) c.kind()).requested();
        Optional<String> over = exceeds(wanted, reserved);
        if (over.isPresent()) {
            return Optional.of(forbidden("document asks for %s, more than contract %d reserves", over.get(), c.id()));
        }
        Resources promised = Resources.ZERO;
        try {
            for (SignedDeployment other : store.all()) {
                if (other.contractId() != d.contractId()) {
                    promised = promised.plus(other.document().resources());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Optional<String> overNode = exceeds(promised.plus(wanted), capacity);
        return overNode.map(o -> forbidden("not enough capacity on node %d: with the accepted deployments it needs %s",
                nodeId, o));
    }

    /** Not a check of trust: an update must be newer than what was accepted; the same version again is a no-op. */
    private Optional<Decision> checkVersion(SignedDeployment d) {
        try {
            Optional<SignedDeployment> current = store.get(d.contractId());
            if (current.isPresent() && current.get().document().version() >= d.document().version()
                    && !current.get().document().equals(d.document())) {
                return Optional.of(new Decision.Refuse(409, String.format(Locale.ROOT,
                        "version %d is not newer than the accepted version %d of contract %d",
                        d.document().version(), current.get().document().version(), d.contractId())));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The first dimension of {@code wanted} above {@code limit}, as "mru 2147483648 > 1073741824". */
    private static Optional<String> exceeds(Resources wanted, Resources limit) {
        String[] names = {"cru", "mru", "sru", "hru"};
        long[] w = {wanted.cru(), wanted.mru(), wanted.sru(), wanted.hru()};
        long[] l = {limit.cru(), limit.mru(), limit.sru(), limit.hru()};
        for (int i = 0; i < names.length; i++) {
            if (w[i] > l[i]) {
                return Optional.of(names[i] + " " + w[i] + " > " + l[i]);
            }
        }
        return Optional.empty();
    }

    private static Decision forbidden(String format, Object... args) {
        return new Decision.Refuse(403, String.format(Locale.ROOT, format, args));
    }
}
