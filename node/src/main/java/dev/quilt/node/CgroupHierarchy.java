package dev.quilt.node;

import dev.quilt.node.Workload.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where this agent makes its workloads' control groups: on cgroup v1 (one mounted hierarchy per
 * controller) or v2 (one unified tree), under a parent group of its own; found once at start.
 *
 * <p>A process workload always has a memory, a CPU and a PID limit, so it needs the memory, cpu
 * and pids controllers. A hierarchy that lacks any of them (a v2 tree whose controllers the host
 * binds to v1 hierarchies, a v1 host that does not mount one) cannot enforce those limits: the
 * agent says so at start ({@link #describe()}), and {@link #create} refuses the workload with
 * that reason instead of running it unconfined. Checking the mount, not only the directory,
 * matters on v1: {@code /sys/fs/cgroup} is a writable tmpfs, where a missing hierarchy's directory
 * would be made as a plain directory and a process's pid "written" to a plain file.
 *
 * <p>Thread-safe (immutable; the kernel serializes the files).
 */
sealed interface CgroupHierarchy {
    /** The controllers a process workload's limits need, in the order they are named. */
    List<String> NEEDED = List.of("memory", "cpu", "pids");

    /** The hierarchy this host uses under {@link Cgroup#ROOT}: v2 where the root is a cgroup2 mount, else v1. */
    static CgroupHierarchy detect(String parent) {
        return Files.exists(Cgroup.ROOT.resolve("cgroup.controllers")) ? new V2(Cgroup.ROOT, parent) : new V1(Cgroup.ROOT, parent);
    }

    /** The needed controllers this hierarchy does not have, in {@link #NEEDED} order; empty when every limit holds. */
    List<String> missing();

    /** One line for the agent's start log: the hierarchy, its controllers, and what is refused for want of one. */
    String describe();

    /** Creates {@code <parent>/<name>} with these limits; refuses (with the reason) when a limit cannot be enforced. */
    Cgroup create(String name, Limits limits) throws IOException;

    /** The refusal when {@code missing} is not empty. */
    private static IOException refusal(String hierarchy, List<String> missing, String has) {
        return new IOException("cannot enforce the " + String.join(", ", missing) + " limit" + (missing.size() > 1 ? "s" : "")
                + ": " + hierarchy + " has no " + String.join(", ", missing) + " controller (it has: " + has
                + "); not run unconfined");
    }

    /**
     * cgroup v1 under {@code root}: {@code root/memory}, {@code root/cpu}, {@code root/pids} and, where
     * mounted, {@code root/freezer}, each a hierarchy of its own.
     */
    record V1(Path root, String parent) implements CgroupHierarchy {
        /** A controller's hierarchy is mounted when its root holds the kernel's {@code cgroup.procs}. */
        boolean mounted(String controller) {
            return Files.exists(root.resolve(controller).resolve("cgroup.procs"));
        }

        @Override
        public List<String> missing() {
            return NEEDED.stream().filter(c -> !mounted(c)).toList();
        }

        private String has() {
            return String.join(", ", List.of("memory", "cpu", "pids", "freezer").stream().filter(this::mounted).toList());
        }

        @Override
        public String describe() {
            String line = "cgroup v1 at " + root + " (" + has() + ")";
            if (!missing().isEmpty()) {
                return line + ": no " + String.join(", ", missing()) + " hierarchy, so process workloads are refused";
            }
            return mounted("freezer") ? line : line + ": no freezer, so processes are stopped, not paused, in a grace period";
        }

        @Override
        public Cgroup create(String name, Limits limits) throws IOException {
            if (!missing().isEmpty()) {
                throw refusal("cgroup v1 at " + root, missing(), has());
            }
            return Cgroup.V1.create(this, name, limits, mounted("freezer"));
        }
    }

    /**
     * cgroup v2: the unified tree at {@code root}. Its core files ({@code cgroup.procs},
     * {@code cgroup.freeze}, {@code cgroup.events}, {@code cgroup.kill}) work in every group without
     * any controller; the limits need the controllers listed in the root's {@code cgroup.controllers}.
     */
    record V2(Path root, String parent) implements CgroupHierarchy {
        /** The controllers the root offers to its subtree. */
        Set<String> controllers() throws IOException {
            return Arrays.stream(Files.readString(root.resolve("cgroup.controllers")).strip().split("\\s+"))
                    .filter(s -> !s.isEmpty()).collect(Collectors.toCollection(java.util.TreeSet::new));
        }

        @Override
        public List<String> missing() {
            try {
                Set<String> has = controllers();
                return NEEDED.stream().filter(c -> !has.contains(c)).toList();
            } catch (IOException e) {
                return NEEDED;
            }
        }

        @Override
        public String describe() {
            String line = "cgroup v2 at " + root + " (" + has() + ")";
            return missing().isEmpty() ? line
                    : line + ": no " + String.join(", ", missing()) + " controller, so process workloads are refused";
        }

        private String has() {
            try {
                return controllers().isEmpty() ? "no controllers" : String.join(", ", controllers());
            } catch (IOException e) {
                return "unreadable: " + e.getMessage();
            }
        }

        @Override
        public Cgroup create(String name, Limits limits) throws IOException {
            if (!missing().isEmpty()) {
                throw refusal("cgroup v2 at " + root, missing(), has());
            }
            Cgroup.V2 group = group(name);
            try {
                group.limit(limits);
            } catch (IOException e) {
                group.destroy();
                throw e;
            }
            return group;
        }

        /**
         * Creates {@code <parent>/<name>} with the needed controllers this tree has enabled down to it
         * (each level must delegate them to the next), and no limits yet.
         */
        Cgroup.V2 group(String name) throws IOException {
            Path parentDir = Files.createDirectories(root.resolve(parent));
            List<String> enable = NEEDED.stream().filter(controllers()::contains).toList();
            if (!enable.isEmpty()) {
                String control = enable.stream().map(c -> "+" + c).collect(Collectors.joining(" "));
                Set<String> enabled = Set.of(Files.readString(parentDir.resolve("cgroup.subtree_control")).strip().split("\\s+"));
                if (!enabled.containsAll(enable)) {
                    Files.writeString(root.resolve("cgroup.subtree_control"), control);
                    Files.writeString(parentDir.resolve("cgroup.subtree_control"), control);
                }
            }
            return new Cgroup.V2(Files.createDirectories(parentDir.resolve(name)));
        }
    }
}
