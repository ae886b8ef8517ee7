package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.List;

/**
 * Proposals and votes. The validators are the council: only they propose. Council members vote
 * one each; farm owners vote per farm, weighted by the farm's nodes ({@link NodeWeight}), and a
 * farm without nodes cannot vote. A proposal closes at the first block end at or after its
 * deadline and passes when all three hold:
 * <ol>
 *   <li>more than half of the council (as it is at closing) voted aye;</li>
 *   <li>at least {@code farmQuorum} farms voted (tfchain's vote threshold);</li>
 *   <li>the farms' aye weight is greater than their nay weight (tfchain's DAO rule).</li>
 * </ol>
 * A passed proposal's action takes effect at once.
 */
final class GovernanceRules {
    private GovernanceRules() {}

    static Outcome propose(WorkingState s, Ed25519PublicKey sender, Transaction.Propose p, BlockContext block) {
        if (!s.params.isValidator(sender)) {
            return Outcome.refused("only council members may propose");
        }
        long max = s.params.maxProposalSeconds();
        if (p.durationSeconds() <= 0 || p.durationSeconds() > max) {
            return Outcome.refused("proposal duration must be 1.." + max + " seconds: " + p.durationSeconds());
        }
        String invalid = invalidAction(p.action());
        if (invalid != null) {
            return Outcome.refused(invalid);
        }
        long id = s.proposals.nextId();
        s.proposals.put(id, Proposal.open(id, sender, p.action(), p.farmQuorum(), block.time() + p.durationSeconds()));
        return Outcome.accepted(new Event.ProposalOpened(id));
    }

    static Outcome vote(WorkingState s, Ed25519PublicKey sender, Transaction.Vote v, BlockContext block) {
        Proposal proposal = s.proposals.get(v.proposalId());
        if (proposal == null) {
            return Outcome.refused("no proposal " + v.proposalId());
        }
        if (proposal.status() != Proposal.Status.OPEN || block.time() >= proposal.deadline()) {
            return Outcome.refused("proposal " + proposal.id() + " is closed for voting");
        }
        if (v.farmId().isEmpty()) {
            if (!s.params.isValidator(sender)) {
                return Outcome.refused("only council members may vote without a farm");
            }
            s.proposals.put(proposal.id(), proposal.withCouncilVote(sender, v.approve()));
            return Outcome.accepted(new Event.VoteCast(proposal.id(), sender, v.approve(), 1));
        }
        long farmId = v.farmId().get();
        Outcome refusal = RegistryRules.ownerCheck(s, sender, s.farms.get(farmId), farmId);
        if (refusal != null) {
            return refusal;
        }
        long weight = NodeWeight.ofFarm(s, farmId);
        if (weight == 0) {
            return Outcome.refused("farm " + farmId + " has no node capacity to vote with");
        }
        s.proposals.put(proposal.id(), proposal.withFarmVote(farmId, new Proposal.FarmVote(v.approve(), weight)));
        return Outcome.accepted(new Event.VoteCast(proposal.id(), sender, v.approve(), weight));
    }

    static void closeDue(WorkingState s, BlockContext block, List<Event> events) {
        for (Proposal p : List.copyOf(s.proposals.values())) {
            if (p.status() != Proposal.Status.OPEN || block.time() < p.deadline()) {
                continue;
            }
            List<Ed25519PublicKey> council = s.params.validators();
            long councilAyes = council.stream().filter(m -> Boolean.TRUE.equals(p.councilVotes().get(m))).count();
            long aye = p.farmVotes().values().stream().filter(Proposal.FarmVote::approve).mapToLong(Proposal.FarmVote::weight).sum();
            long nay = p.farmVotes().values().stream().filter(f -> !f.approve()).mapToLong(Proposal.FarmVote::weight).sum();
            boolean approved = councilAyes * 2 > council.size() && p.farmVotes().size() >= p.farmQuorum() && aye > nay;
            String tally = "council " + councilAyes + "/" + council.size() + " aye, " + p.farmVotes().size()
                    + " farms voted (quorum " + p.farmQuorum() + "), weight " + aye + " aye vs " + nay + " nay";
            s.proposals.put(p.id(), p.closed(approved ? Proposal.Status.APPROVED : Proposal.Status.REJECTED));
            if (approved) {
                enact(s, p.action());
            }
            events.add(new Event.ProposalClosed(p.id(), approved, tally));
        }
    }

    private static void enact(WorkingState s, ProposalAction action) {
        switch (action) {
            case ProposalAction.SetPricingPolicy p -> s.pricingPolicies.put(p.policy().id(), p.policy());
            case ProposalAction.SetBillingPeriod b -> s.params = s.params.withBillingPeriod(b.seconds());
            case ProposalAction.SetGracePeriod g -> s.params = s.params.withGracePeriod(g.seconds());
            case ProposalAction.SetValidators v -> s.params = s.params.withValidators(v.validators());
        }
    }

    /** Null when the action could be enacted; checked at proposal time so enacting never fails. */
    private static String invalidAction(ProposalAction action) {
        return switch (action) {
            case ProposalAction.SetPricingPolicy p -> null;
            case ProposalAction.SetBillingPeriod b -> b.seconds() > 0 ? null : "billing period must be positive";
            case ProposalAction.SetGracePeriod g -> g.seconds() > 0 ? null : "grace period must be positive";
            case ProposalAction.SetValidators v -> v.validators().isEmpty() || v.validators().size() > ChainParameters.MAX_VALIDATORS
                    ? "validator set must have 1.." + ChainParameters.MAX_VALIDATORS + " members" : null;
        };
    }
}
