package dev.quilt.cli;

/** Placeholder entry point. */
public final class Quilt {
    private Quilt() { }

    public static void main(String[] args) {
        System.out.println("quilt");
    }
}
