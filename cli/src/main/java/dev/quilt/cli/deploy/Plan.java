package dev.quilt.cli.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code apply} would do for a file: per declared deployment, create it, update it in place
 * (its spec fingerprint differs, or this machine has no record of it), or leave it; and destroy
 * each live deployment this machine applied from the same file that the file no longer declares.
 * Deployments made by {@code quilt deploy} or from another file are not touched.
 *
 * @param steps one per declared deployment, in the file's order
 * @param removals live deployments recorded for this file but no longer in it
 */
record Plan(List<Step> steps, List<Removal> removals) {
    enum Action { CREATE, UPDATE, UNCHANGED }

    /** One step: the entry, its request, the action and, for an update, the live deployment. */
    record Step(DeploymentFile.Entry entry, Deployer.Request request, Action action, Optional<Listing.Live> live, String why) {}

    /** A deployment to destroy: it was applied from this file, which no longer declares it. */
    record Removal(Listing.Live live, DeploymentRecord record) {}

    static Plan of(DeploymentFile file, Grid grid, Deployer deployer) {
        List<Listing.Live> live = Listing.list(grid);
        List<Step> steps = new ArrayList<>();
        for (DeploymentFile.Entry e : file.deployments()) {
            TemplateChoice choice = TemplateChoice.ref(e.templateRef());
            Deployer.Request request = new Deployer.Request(e.name(), choice.template(), choice.ref(), e.size().orElse(null), e.set(),
                    e.constraints(), Scheduler.Spread.none());
            Deployer.Prepared prepared = deployer.prepare(request);
            Optional<Listing.Live> current = live.stream().filter(l -> l.name().equals(e.name())).findFirst();
            if (current.isEmpty()) {
                steps.add(new Step(e, request, Action.CREATE, current, "not deployed"));
            } else if (current.get().cached().isEmpty()) {
                steps.add(new Step(e, request, Action.UPDATE, current, "deployed, but this machine has no record of its settings"));
            } else if (!current.get().cached().get().spec().equals(prepared.spec())) {
                steps.add(new Step(e, request, Action.UPDATE, current, "template, size or parameters changed"));
            } else {
                steps.add(new Step(e, request, Action.UNCHANGED, current, "as declared"));
            }
        }
        Set<String> declared = file.deployments().stream().map(DeploymentFile.Entry::name).collect(Collectors.toSet());
        List<Removal> removals = new ArrayList<>();
        for (Listing.Live l : live) {
            l.cached().filter(r -> r.file().filter(file.path()::equals).isPresent() && !declared.contains(l.name()))
                    .ifPresent(r -> removals.add(new Removal(l, r)));
        }
        return new Plan(List.copyOf(steps), List.copyOf(removals));
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        int create = 0;
        int update = 0;
        for (Step s : steps) {
            String sign = switch (s.action()) {
                case CREATE -> "+";
                case UPDATE -> "~";
                case UNCHANGED -> "=";
            };
            create += s.action() == Action.CREATE ? 1 : 0;
            update += s.action() == Action.UPDATE ? 1 : 0;
            b.append(sign).append(' ').append(s.entry().name()).append(" (").append(s.entry().templateRef()).append("): ")
                    .append(s.action().name().toLowerCase(java.util.Locale.ROOT)).append(", ").append(s.why()).append('\n');
        }
        for (Removal r : removals) {
            b.append("- ").append(r.live().name()).append(" (").append(r.record().template()).append("): destroy, no longer declared")
                    .append('\n');
        }
        b.append("plan: ").append(create).append(" to create, ").append(update).append(" to update, ")
                .append(steps.size() - create - update).append(" unchanged, ").append(removals.size()).append(" to destroy\n");
        return b.toString();
    }
}
