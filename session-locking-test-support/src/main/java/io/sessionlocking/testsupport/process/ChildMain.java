package io.sessionlocking.testsupport.process;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * What a {@link JavaProcess} actually runs: it arms the parent watchdog, then calls the requested main class with the
 * remaining arguments. The watchdog reads standard input, which the parent keeps open and never writes to; the end of
 * that stream means the parent is gone, however it ended (SIGKILL included), and the child halts at once with exit
 * code {@value #ORPHANED_EXIT_CODE}. Standard input is therefore not available to the main class.
 */
final class ChildMain {

    static final int ORPHANED_EXIT_CODE = 86;

    private ChildMain() {}

    public static void main(String[] args) throws Throwable {
        Thread watchdog = new Thread(ChildMain::haltWhenParentIsGone, "java-process-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Method main = Class.forName(args[0]).getDeclaredMethod("main", String[].class);
        main.setAccessible(true); // test mains are usually package-private nested classes
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause(); // reported and exited as by the java launcher: stack trace, exit code 1
        }
    }

    private static void haltWhenParentIsGone() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same: nobody is at the other end
        }
        Runtime.getRuntime().halt(ORPHANED_EXIT_CODE);
    }
}
