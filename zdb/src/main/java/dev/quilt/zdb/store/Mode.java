package dev.quilt.zdb.store;

/** How a namespace assigns keys: client-chosen keys, or server-assigned sequential ids. */
public enum Mode {
    /** Client-chosen binary keys of 1..255 bytes. */
    USER("user", "userkey"),
    /** Server-assigned ids: SET with an empty key appends and returns an 8-byte little-endian id. */
    SEQ("seq", "sequential");

    private final String flag;
    private final String infoName;

    Mode(String flag, String infoName) {
        this.flag = flag;
        this.infoName = infoName;
    }

    /** The word used by {@code --mode} and {@code NSSET ns mode}. */
    public String flag() {
        return flag;
    }

    /** The word NSINFO prints. */
    public String infoName() {
        return infoName;
    }
}
