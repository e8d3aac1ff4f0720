package io.sessionlocking.testsupport.process;

import java.time.Duration;

/** Tiny main classes run by {@link JavaProcessIntegrationTests} in child JVMs. */
final class TestMains {

    private TestMains() {}

    /** Prints its arguments and a system property, one line on stderr, then exits with code 3. */
    static final class Echo {
        public static void main(String[] args) {
            System.out.println("started");
            System.out.println("args " + String.join(",", args));
            System.out.println("property " + System.getProperty("fixture.test"));
            System.err.println("to stderr");
            System.out.println("done");
            System.exit(3);
        }
    }

    /** Prints "ready" and then sleeps until killed. */
    static final class Hang {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("ready");
            Thread.sleep(Duration.ofMinutes(10).toMillis());
        }
    }

    /** Says why on stderr and exits with code 2 before printing anything on stdout. */
    static final class Fail {
        public static void main(String[] args) {
            System.err.println("bye");
            System.exit(2);
        }
    }

    /** Starts a {@link Hang} grandchild, prints "grandchild PID" once it is ready, then sleeps until killed. */
    static final class Parent {
        public static void main(String[] args) throws InterruptedException {
            JavaProcess grandchild = JavaProcess.start(Hang.class);
            grandchild.awaitLine("ready", Duration.ofSeconds(60));
            System.out.println("grandchild " + grandchild.pid());
            Thread.sleep(Duration.ofMinutes(10).toMillis());
        }
    }
}
