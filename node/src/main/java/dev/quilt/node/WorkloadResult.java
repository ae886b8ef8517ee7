package dev.quilt.node;

/** What became of one workload, as its owner sees it. */
public record WorkloadResult(String name, long version, State state, String message) {

    /** A workload's states, as in the deployment's per-workload results. */
    public enum State { INIT, OK, ERROR, PAUSED, DELETED }
}
