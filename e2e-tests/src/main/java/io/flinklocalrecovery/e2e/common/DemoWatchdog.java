package io.flinklocalrecovery.e2e.common;

/**
 * A demo's last resort if it hangs where no deadline is checked, for example in shutdown: a minute
 * after its time limit, runs {@code onTimeout} (which says so and cleans up) and halts the JVM.
 */
public final class DemoWatchdog {

    private DemoWatchdog() {}

    public static void start(double timeoutMinutes, Runnable onTimeout) {
        Thread watchdog =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep((long) (timeoutMinutes * 60_000) + 60_000);
                            } catch (InterruptedException e) {
                                return;
                            }
                            onTimeout.run();
                            System.out.flush();
                            Runtime.getRuntime().halt(2);
                        },
                        "demo-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
