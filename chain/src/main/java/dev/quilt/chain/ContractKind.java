package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import java.util.List;

/** What a contract pays for. */
public sealed interface ContractKind {

    /**
     * One deployment on one node. The ledger keeps only the hash of the deployment document; the
     * node checks the document it is handed against it.
     *
     * @param publicIps the farm IPs reserved for this contract
     * @param used the resources the node last reported in use (what CU/SU are billed on), within {@code requested}
     * @param unbilledNuBytes public network traffic reported since the last bill
     */
    record NodeContract(long nodeId, Hash256 deploymentHash, Resources requested, List<String> publicIps,
                        Resources used, long unbilledNuBytes) implements ContractKind {
        public NodeContract {
            publicIps = List.copyOf(publicIps);
        }

        NodeContract withDeployment(Hash256 hash, Resources newRequested, Resources newUsed) {
            return new NodeContract(nodeId, hash, newRequested, publicIps, newUsed, unbilledNuBytes);
        }

        NodeContract withUsage(Resources newUsed, long nuBytes) {
            return new NodeContract(nodeId, deploymentHash, requested, publicIps, newUsed, nuBytes);
        }
    }

    /** A globally unique name (a gateway subdomain). */
    record NameContract(String name) implements ContractKind {
        public static final int MIN_NAME = 3;
        public static final int MAX_NAME = 64;
    }

    /** A whole node: only the renter may deploy on it, and its node contracts then pay no CU/SU. */
    record RentContract(long nodeId) implements ContractKind {}
}
