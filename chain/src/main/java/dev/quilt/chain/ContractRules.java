package dev.quilt.chain;

import dev.quilt.chain.ContractKind.NameContract;
import dev.quilt.chain.ContractKind.NodeContract;
import dev.quilt.chain.ContractKind.RentContract;
import dev.quilt.chain.ContractState.DeletionReason;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Node, name and rent contracts. Unlike tfchain, a node contract reserves its resources on the
 * ledger: it is refused when the node lacks free capacity, so a user never pays for IPs of a
 * deployment the node will turn down.
 */
final class ContractRules {
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9_-]{" + NameContract.MIN_NAME + "," + NameContract.MAX_NAME + "}");

    private ContractRules() {}

    static Outcome createNodeContract(WorkingState s, Ed25519PublicKey sender, Transaction.CreateNodeContract c,
                                      BlockContext block) {
        Optional<Twin> twin = s.twinOf(sender);
        if (twin.isEmpty()) {
            return RegistryRules.noTwin();
        }
        Node node = s.nodes.get(c.nodeId());
        if (node == null) {
            return Outcome.refused("no node " + c.nodeId());
        }
        Outcome refusal = rentedByOther(s, node, twin.get().id());
        if (refusal == null) {
            refusal = checkFits(node, c.resources(), Resources.ZERO);
        }
        if (refusal == null) {
            refusal = hashInUse(s, node.id(), c.deploymentHash(), 0);
        }
        if (refusal != null) {
            return refusal;
        }
        Farm farm = s.farms.get(node.farmId());
        List<PublicIp> free = farm.publicIps().stream().filter(PublicIp::isFree).toList();
        if (c.publicIps() > free.size()) {
            return Outcome.refused("farm " + farm.id() + " has " + free.size() + " free public IPs, "
                    + c.publicIps() + " requested");
        }
        List<String> reservedIps = free.subList(0, c.publicIps()).stream().map(PublicIp::ip).toList();
        refusal = unfunded(s, sender, new NodeContract(node.id(), c.deploymentHash(), c.resources(), reservedIps,
                c.resources(), 0), node);
        if (refusal != null) {
            return refusal;
        }
        long id = s.contracts.nextId();
        s.farms.put(farm.id(), farm.withIps(farm.publicIps().stream()
                .map(ip -> reservedIps.contains(ip.ip()) ? ip.assignedTo(id) : ip).toList()));
        s.nodes.put(node.id(), node.withReserved(node.reserved().plus(c.resources())));
        NodeContract kind = new NodeContract(node.id(), c.deploymentHash(), c.resources(), reservedIps, Resources.ZERO, 0);
        s.contracts.put(id, new Contract(id, twin.get().id(), kind, ContractState.CREATED, block.time(), block.time()));
        return Outcome.accepted(new Event.ContractCreated(id, twin.get().id(), node.id()));
    }

    static Outcome updateNodeContract(WorkingState s, Ed25519PublicKey sender, Transaction.UpdateNodeContract u) {
        Contract contract = s.contracts.get(u.contractId());
        Outcome refusal = ownedAndLive(s, sender, contract, u.contractId());
        if (refusal != null) {
            return refusal;
        }
        if (!(contract.kind() instanceof NodeContract kind)) {
            return Outcome.refused("contract " + contract.id() + " is not a node contract");
        }
        if (contract.state() instanceof ContractState.GracePeriod) {
            return Outcome.refused("contract " + contract.id() + " is in its grace period");
        }
        Node node = s.nodes.get(kind.nodeId());
        refusal = checkFits(node, u.resources(), kind.requested());
        if (refusal == null) {
            refusal = hashInUse(s, node.id(), u.deploymentHash(), contract.id());
        }
        if (refusal != null) {
            return refusal;
        }
        s.nodes.put(node.id(), node.withReserved(node.reserved().minus(kind.requested()).plus(u.resources())));
        // The node reports usage again after redeploying; until then bill no more than the new reservation.
        Resources used = min(kind.used(), u.resources());
        s.contracts.put(contract.id(), contract.withKind(kind.withDeployment(u.deploymentHash(), u.resources(), used)));
        return Outcome.accepted(new Event.ContractUpdated(contract.id()));
    }

    static Outcome cancel(WorkingState s, Ed25519PublicKey sender, Transaction.CancelContract c, BlockContext block) {
        Contract contract = s.contracts.get(c.contractId());
        Outcome refusal = ownedAndLive(s, sender, contract, c.contractId());
        if (refusal != null) {
            return refusal;
        }
        if (contract.kind() instanceof RentContract rent) {
            long onNode = s.liveContracts().stream()
                    .filter(o -> o.kind() instanceof NodeContract n && n.nodeId() == rent.nodeId())
                    .count();
            if (onNode > 0) {
                return Outcome.refused("rent contract " + contract.id() + " still has " + onNode
                        + " node contracts on node " + rent.nodeId());
            }
        }
        List<Event> events = new ArrayList<>();
        BillingCycle.settleFinal(s, contract, block, events);
        delete(s, s.contracts.get(contract.id()), DeletionReason.CANCELED_BY_USER, events);
        return new Outcome.Accepted(events);
    }

    static Outcome createNameContract(WorkingState s, Ed25519PublicKey sender, Transaction.CreateNameContract n,
                                      BlockContext block) {
        Optional<Twin> twin = s.twinOf(sender);
        if (twin.isEmpty()) {
            return RegistryRules.noTwin();
        }
        if (!NAME.matcher(n.name()).matches()) {
            return Outcome.refused("invalid name '" + n.name() + "': use " + NameContract.MIN_NAME + "-"
                    + NameContract.MAX_NAME + " of a-z 0-9 _ -");
        }
        Optional<Contract> taken = s.liveContracts().stream()
                .filter(o -> o.kind() instanceof NameContract name && name.name().equals(n.name()))
                .findFirst();
        if (taken.isPresent()) {
            return Outcome.refused("name '" + n.name() + "' is taken by contract " + taken.get().id());
        }
        Outcome refusal = unfunded(s, sender, new NameContract(n.name()), null);
        if (refusal != null) {
            return refusal;
        }
        long id = s.contracts.nextId();
        s.contracts.put(id, new Contract(id, twin.get().id(), new NameContract(n.name()), ContractState.CREATED,
                block.time(), block.time()));
        return Outcome.accepted(new Event.ContractCreated(id, twin.get().id(), 0));
    }

    static Outcome createRentContract(WorkingState s, Ed25519PublicKey sender, Transaction.CreateRentContract r,
                                      BlockContext block) {
        Optional<Twin> twin = s.twinOf(sender);
        if (twin.isEmpty()) {
            return RegistryRules.noTwin();
        }
        Node node = s.nodes.get(r.nodeId());
        if (node == null) {
            return Outcome.refused("no node " + r.nodeId());
        }
        if (node.rentContract() != 0) {
            return Outcome.refused("node " + node.id() + " is already rented by contract " + node.rentContract());
        }
        long twinId = twin.get().id();
        boolean others = s.liveContracts().stream()
                .anyMatch(o -> o.kind() instanceof NodeContract n && n.nodeId() == node.id() && o.twinId() != twinId);
        if (others) {
            return Outcome.refused("node " + node.id() + " runs contracts of other twins");
        }
        Outcome refusal = unfunded(s, sender, new RentContract(node.id()), node);
        if (refusal != null) {
            return refusal;
        }
        long id = s.contracts.nextId();
        s.nodes.put(node.id(), node.withRentContract(id));
        s.contracts.put(id, new Contract(id, twinId, new RentContract(node.id()), ContractState.CREATED,
                block.time(), block.time()));
        return Outcome.accepted(new Event.ContractCreated(id, twinId, node.id()));
    }

    static Outcome reportUsage(WorkingState s, Ed25519PublicKey sender, Transaction.ReportUsage r) {
        Contract contract = s.contracts.get(r.contractId());
        if (contract == null || !contract.state().isLive()) {
            return Outcome.refused("no live contract " + r.contractId());
        }
        if (!(contract.kind() instanceof NodeContract kind)) {
            return Outcome.refused("contract " + contract.id() + " is not a node contract");
        }
        Node node = s.nodes.get(kind.nodeId());
        if (!s.accountOfTwin(node.twinId()).equals(sender)) {
            return Outcome.refused("only node " + node.id() + " may report usage of contract " + contract.id());
        }
        if (!r.used().fitsIn(kind.requested())) {
            return Outcome.refused("usage exceeds the contract's reservation: " + r.used().firstExcess(kind.requested()));
        }
        if (kind.unbilledNuBytes() > Long.MAX_VALUE - r.nuBytes()) {
            return Outcome.refused("network usage would overflow");
        }
        s.contracts.put(contract.id(), contract.withKind(kind.withUsage(r.used(), kind.unbilledNuBytes() + r.nuBytes())));
        return Outcome.accepted(new Event.UsageReported(contract.id()));
    }

    /** Marks a contract deleted and gives back what it held: node capacity, farm IPs, the node's rent slot. */
    static void delete(WorkingState s, Contract contract, DeletionReason reason, List<Event> events) {
        switch (contract.kind()) {
            case NodeContract n -> {
                Node node = s.nodes.get(n.nodeId());
                s.nodes.put(node.id(), node.withReserved(node.reserved().minus(n.requested())));
                Farm farm = s.farms.get(node.farmId());
                s.farms.put(farm.id(), farm.withIps(farm.publicIps().stream()
                        .map(ip -> ip.contractId() == contract.id() ? ip.assignedTo(0) : ip).toList()));
            }
            case RentContract r -> s.nodes.put(r.nodeId(), s.nodes.get(r.nodeId()).withRentContract(0));
            case NameContract n -> { }
        }
        s.contracts.put(contract.id(), contract.withState(new ContractState.Deleted(reason)));
        events.add(new Event.ContractDeleted(contract.id(), contract.nodeId(), reason));
    }

    private static Outcome ownedAndLive(WorkingState s, Ed25519PublicKey sender, Contract contract, long id) {
        if (contract == null || !contract.state().isLive()) {
            return Outcome.refused("no live contract " + id);
        }
        if (!s.accountOfTwin(contract.twinId()).equals(sender)) {
            return Outcome.refused("contract " + id + " belongs to twin " + contract.twinId());
        }
        return null;
    }

    /**
     * Refuses a new contract whose twin cannot pay its first billing period, priced at the farm's
     * policy for everything it requests, before any discount. Otherwise a twin without funds could
     * hold capacity and IPs for a whole grace period without ever paying.
     */
    private static Outcome unfunded(WorkingState s, Ed25519PublicKey sender, ContractKind kind, Node node) {
        Contract prototype = new Contract(0, 0, kind, ContractState.CREATED, 0, 0);
        long period = s.params.billingPeriodSeconds();
        long first = Pricing.amount(prototype, node, BillingCycle.policyOf(s, node), period, period, 0);
        long balance = s.balance(sender);
        return balance < first ? Outcome.refused("insufficient balance: " + balance + " < " + first
                + " (the contract's first billing period)") : null;
    }

    private static Outcome rentedByOther(WorkingState s, Node node, long twinId) {
        if (node.rentContract() == 0) {
            return null;
        }
        long renter = s.contracts.get(node.rentContract()).twinId();
        return renter == twinId ? null : Outcome.refused("node " + node.id() + " is rented by twin " + renter);
    }

    /** Refuses unless {@code wanted} fits in the node's free capacity plus what {@code released} gives back. */
    private static Outcome checkFits(Node node, Resources wanted, Resources released) {
        Resources available = node.free().plus(released);
        if (!wanted.fitsIn(available)) {
            return Outcome.refused("insufficient capacity on node " + node.id() + ": requested "
                    + wanted.firstExcess(available) + " free");
        }
        return null;
    }

    private static Outcome hashInUse(WorkingState s, long nodeId, Hash256 hash, long exceptContract) {
        Optional<Contract> same = s.liveContracts().stream()
                .filter(o -> o.id() != exceptContract && o.kind() instanceof NodeContract n
                        && n.nodeId() == nodeId && n.deploymentHash().equals(hash))
                .findFirst();
        return same.map(o -> Outcome.refused("deployment hash already used on node " + nodeId + " by contract " + o.id()))
                .orElse(null);
    }

    private static Resources min(Resources a, Resources b) {
        return new Resources(Math.min(a.cru(), b.cru()), Math.min(a.mru(), b.mru()),
                Math.min(a.sru(), b.sru()), Math.min(a.hru(), b.hru()));
    }
}
