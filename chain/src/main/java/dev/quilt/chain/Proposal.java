package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A governance proposal. It passes, when its deadline is reached, if a majority of the council
 * voted for it, at least {@code farmQuorum} farms voted, and the farms' aye weight exceeds their nay
 * weight, each farm weighing its nodes' capacity (as in tfchain's DAO).
 *
 * @param councilVotes council member → approve, one vote each, changeable until the deadline
 * @param farmVotes farm id → its vote and the farm's weight when it voted
 */
public record Proposal(long id, Ed25519PublicKey proposer, ProposalAction action, int farmQuorum, long deadline,
                       NavigableMap<Ed25519PublicKey, Boolean> councilVotes, NavigableMap<Long, FarmVote> farmVotes,
                       Status status) {

    public enum Status { OPEN, APPROVED, REJECTED }

    public record FarmVote(boolean approve, long weight) {}

    public Proposal {
        councilVotes = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(councilVotes));
        farmVotes = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(farmVotes));
    }

    Proposal withCouncilVote(Ed25519PublicKey member, boolean approve) {
        TreeMap<Ed25519PublicKey, Boolean> votes = new TreeMap<>(councilVotes);
        votes.put(member, approve);
        return new Proposal(id, proposer, action, farmQuorum, deadline, votes, farmVotes, status);
    }

    Proposal withFarmVote(long farm, FarmVote vote) {
        TreeMap<Long, FarmVote> votes = new TreeMap<>(farmVotes);
        votes.put(farm, vote);
        return new Proposal(id, proposer, action, farmQuorum, deadline, councilVotes, votes, status);
    }

    Proposal closed(Status s) {
        return new Proposal(id, proposer, action, farmQuorum, deadline, councilVotes, farmVotes, s);
    }

    static Proposal open(long id, Ed25519PublicKey proposer, ProposalAction action, int quorum, long deadline) {
        return new Proposal(id, proposer, action, quorum, deadline, new TreeMap<>(), new TreeMap<>(), Status.OPEN);
    }
}
