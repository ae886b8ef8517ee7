package dev.quilt.testkit;

/** A child JVM main for {@link JavaProcessTest}: prints its arguments, then waits to be killed. */
public final class SleepyMain {
    private SleepyMain() { }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("started " + String.join(" ", args));
        System.out.flush();
        if (args.length > 0 && args[0].equals("exit")) {
            System.exit(Integer.parseInt(args[1]));
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
