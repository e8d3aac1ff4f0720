package io.sessionlocking.cache;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The flights of one guard, by key. Thread-safe. */
final class Flights {

    /** A flight and whether this caller created it (and so polls for it or loads it). */
    record Joined(Flight flight, boolean leader) {}

    private final ConcurrentMap<EntryKey, Flight> flights = new ConcurrentHashMap<>();

    /**
     * The key's flight, created if there is none. Invariant: one flight per key at a time (putIfAbsent), so exactly
     * one caller per key and JVM leads, i.e. reads Redis or loads; everyone else waits on it.
     */
    Joined join(byte[] key) {
        Flight created = new Flight();
        Flight existing = flights.putIfAbsent(new EntryKey(key), created);
        return existing != null ? new Joined(existing, false) : new Joined(created, true);
    }

    /**
     * Ends the key's flight if it is {@code flight} and forgets it. Removed before it ends: a caller arriving after
     * the end starts afresh with a read, never joins a finished flight and a stale outcome.
     */
    void end(byte[] key, Flight flight, Flight.Landing landing) {
        flights.remove(new EntryKey(key), flight);
        flight.end(landing);
    }

    /** Signals the key's flight, if any. */
    void signal(byte[] key) {
        Flight flight = flights.get(new EntryKey(key));
        if (flight != null) {
            flight.signal();
        }
    }
}
