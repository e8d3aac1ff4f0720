/**
 * Real child processes for tests: {@link io.sessionlocking.testsupport.process.JavaProcess} runs a main class of the
 * test class path in a separate JVM, waits for the lines it prints and {@code kill -9}s it, so that a test can crash a
 * lock holder for real. No child outlives the JVM that started it, even when that JVM is itself SIGKILLed.
 */
@org.jspecify.annotations.NullMarked
package io.sessionlocking.testsupport.process;
