package dev.quilt.testkit;

/** A child that says goodbye from a shutdown hook, for {@link JavaProcessTest}. */
public final class TermMain {
    private TermMain() { }

    public static void main(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping cleanly")));
        System.out.println("ready");
        Thread.sleep(60_000);
    }
}
