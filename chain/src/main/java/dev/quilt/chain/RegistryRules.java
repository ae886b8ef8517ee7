package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Twins, farms and nodes: who exists on the grid and what it offers. */
final class RegistryRules {
    private static final Pattern FARM_NAME = Pattern.compile("[A-Za-z0-9_-]{1," + Farm.MAX_NAME + "}");
    /** tfchain's floor for a node worth registering: 1 CPU, 2 GiB of memory, 100 GiB of SSD. */
    static final Resources MIN_NODE = new Resources(1, 2 * Resources.GIB, 100 * Resources.GIB, 0);
    /**
     * A ceiling far above any machine (a million CPUs, an exbibyte of each kind of storage). It
     * keeps every price and weight computed from a node's capacity within 64-bit arithmetic.
     */
    static final Resources MAX_NODE = new Resources(1L << 20, 1L << 60, 1L << 60, 1L << 60);

    private RegistryRules() {}

    static Outcome createTwin(WorkingState s, Ed25519PublicKey sender, Transaction.CreateTwin c) {
        Optional<Twin> existing = s.twinOf(sender);
        if (existing.isPresent()) {
            return Outcome.refused("key already has twin " + existing.get().id());
        }
        long id = s.twins.nextId();
        s.twins.put(id, new Twin(id, sender, c.endpoint()));
        return Outcome.accepted(new Event.TwinCreated(id, sender));
    }

    static Outcome updateTwin(WorkingState s, Ed25519PublicKey sender, Transaction.UpdateTwin u) {
        Optional<Twin> twin = s.twinOf(sender);
        if (twin.isEmpty()) {
            return noTwin();
        }
        Twin t = twin.get();
        s.twins.put(t.id(), new Twin(t.id(), t.account(), u.endpoint()));
        return Outcome.accepted(new Event.TwinUpdated(t.id()));
    }

    static Outcome createFarm(WorkingState s, Ed25519PublicKey sender, Transaction.CreateFarm c) {
        Optional<Twin> twin = s.twinOf(sender);
        if (twin.isEmpty()) {
            return noTwin();
        }
        if (!FARM_NAME.matcher(c.name()).matches()) {
            return Outcome.refused("invalid farm name '" + c.name() + "': use 1-" + Farm.MAX_NAME + " of A-Z a-z 0-9 _ -");
        }
        Optional<Farm> taken = s.farms.values().stream().filter(f -> f.name().equals(c.name())).findFirst();
        if (taken.isPresent()) {
            return Outcome.refused("farm name '" + c.name() + "' is taken by farm " + taken.get().id());
        }
        long id = s.farms.nextId();
        s.farms.put(id, new Farm(id, c.name(), twin.get().id(), 1, List.of()));
        return Outcome.accepted(new Event.FarmCreated(id, c.name(), twin.get().id()));
    }

    static Outcome setFarmPricing(WorkingState s, Ed25519PublicKey sender, Transaction.SetFarmPricing p) {
        Farm farm = s.farms.get(p.farmId());
        Outcome refusal = ownerCheck(s, sender, farm, p.farmId());
        if (refusal != null) {
            return refusal;
        }
        if (!s.pricingPolicies.containsKey(p.pricingPolicyId())) {
            return Outcome.refused("no pricing policy " + p.pricingPolicyId());
        }
        s.farms.put(farm.id(), farm.withPricing(p.pricingPolicyId()));
        return Outcome.accepted(new Event.FarmUpdated(farm.id()));
    }

    static Outcome addFarmIp(WorkingState s, Ed25519PublicKey sender, Transaction.AddFarmIp a) {
        Farm farm = s.farms.get(a.farmId());
        Outcome refusal = ownerCheck(s, sender, farm, a.farmId());
        if (refusal != null) {
            return refusal;
        }
        if (a.ip().isEmpty() || a.gateway().isEmpty()) {
            return Outcome.refused("ip and gateway must not be empty");
        }
        if (farm.publicIps().size() >= Farm.MAX_IPS) {
            return Outcome.refused("farm " + farm.id() + " already has " + Farm.MAX_IPS + " public IPs");
        }
        boolean duplicate = s.farms.values().stream()
                .flatMap(f -> f.publicIps().stream())
                .anyMatch(ip -> ip.ip().equals(a.ip()));
        if (duplicate) {
            return Outcome.refused("public IP " + a.ip() + " is already registered");
        }
        List<PublicIp> ips = new ArrayList<>(farm.publicIps());
        ips.add(new PublicIp(a.ip(), a.gateway(), 0));
        s.farms.put(farm.id(), farm.withIps(ips));
        return Outcome.accepted(new Event.FarmUpdated(farm.id()));
    }

    static Outcome registerNode(WorkingState s, Ed25519PublicKey sender, Transaction.RegisterNode r, BlockContext block) {
        Optional<Twin> twin = s.twinOf(sender);
        if (twin.isEmpty()) {
            return noTwin();
        }
        long twinId = twin.get().id();
        Optional<Node> existing = s.nodes.values().stream().filter(n -> n.twinId() == twinId).findFirst();
        if (existing.isPresent()) {
            return Outcome.refused("twin " + twinId + " already has node " + existing.get().id());
        }
        if (!s.farms.containsKey(r.farmId())) {
            return Outcome.refused("no farm " + r.farmId());
        }
        Outcome invalid = checkDetails(r.capacity(), r.endpoint());
        if (invalid != null) {
            return invalid;
        }
        long id = s.nodes.nextId();
        s.nodes.put(id, new Node(id, r.farmId(), twinId, r.capacity(), Resources.ZERO, r.location(), r.endpoint(),
                block.time(), 0, List.of()));
        return Outcome.accepted(new Event.NodeRegistered(id, r.farmId(), twinId));
    }

    static Outcome updateNode(WorkingState s, Ed25519PublicKey sender, Transaction.UpdateNode u) {
        Node node = s.nodes.get(u.nodeId());
        if (node == null) {
            return Outcome.refused("no node " + u.nodeId());
        }
        if (!s.accountOfTwin(node.twinId()).equals(sender)) {
            return Outcome.refused("only node " + node.id() + " itself may update it");
        }
        Outcome invalid = checkDetails(u.capacity(), u.endpoint());
        if (invalid != null) {
            return invalid;
        }
        if (!node.reserved().fitsIn(u.capacity())) {
            return Outcome.refused("capacity below what contracts reserve: " + node.reserved().firstExcess(u.capacity()));
        }
        s.nodes.put(node.id(), node.withDetails(u.capacity(), u.location(), u.endpoint()));
        return Outcome.accepted(new Event.NodeUpdated(node.id()));
    }

    static Outcome noTwin() {
        return Outcome.refused("sender has no twin");
    }

    /** Null when {@code sender} owns {@code farm}, else the refusal. */
    static Outcome ownerCheck(WorkingState s, Ed25519PublicKey sender, Farm farm, long farmId) {
        if (farm == null) {
            return Outcome.refused("no farm " + farmId);
        }
        if (!s.accountOfTwin(farm.ownerTwin()).equals(sender)) {
            return Outcome.refused("farm " + farmId + " is owned by twin " + farm.ownerTwin());
        }
        return null;
    }

    private static Outcome checkDetails(Resources capacity, String endpoint) {
        if (!MIN_NODE.fitsIn(capacity)) {
            return Outcome.refused("capacity below the minimum node: " + MIN_NODE.firstExcess(capacity));
        }
        if (!capacity.fitsIn(MAX_NODE)) {
            return Outcome.refused("capacity above the maximum node: " + capacity.firstExcess(MAX_NODE));
        }
        if (endpoint.isEmpty()) {
            return Outcome.refused("node endpoint must not be empty");
        }
        return null;
    }
}
