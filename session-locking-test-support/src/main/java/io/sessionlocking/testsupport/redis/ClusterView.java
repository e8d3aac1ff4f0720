package io.sessionlocking.testsupport.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One node's view of the cluster, parsed from its {@code CLUSTER NODES} reply: for each known node its id, port, role,
 * master and slot ranges. Immutable. Two nodes agree on the topology when their {@link #signature()}s are equal.
 */
record ClusterView(List<Entry> entries) {

    /** One line of {@code CLUSTER NODES}. {@code masterId} is {@code "-"} for a master. */
    record Entry(String id, int port, boolean master, boolean failing, String masterId, List<int[]> slots) {

        boolean serves(int slot) {
            return slots.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
        }

        int firstSlot() {
            return slots.stream().mapToInt(range -> range[0]).min().orElse(Integer.MAX_VALUE);
        }
    }

    static ClusterView parse(String clusterNodes) {
        List<Entry> entries = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 8) {
                continue;
            }
            String address = fields[1];
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
            String flags = fields[2];
            List<int[]> slots = new ArrayList<>();
            for (int i = 8; i < fields.length; i++) {
                if (!fields[i].startsWith("[")) { // [slot->-id] entries are migrations, not ownership
                    String[] bounds = fields[i].split("-");
                    int first = Integer.parseInt(bounds[0]);
                    slots.add(new int[] {first, bounds.length > 1 ? Integer.parseInt(bounds[1]) : first});
                }
            }
            entries.add(new Entry(
                    fields[0],
                    port,
                    flags.contains("master"),
                    flags.contains("fail") || flags.contains("handshake") || flags.contains("noaddr"),
                    fields[3],
                    List.copyOf(slots)));
        }
        return new ClusterView(List.copyOf(entries));
    }

    /** The master serving {@code slot} in this view. */
    Optional<Entry> masterOf(int slot) {
        return entries.stream().filter(e -> e.master() && e.serves(slot)).findFirst();
    }

    List<Entry> replicasOf(String masterId) {
        return entries.stream()
                .filter(e -> !e.master() && e.masterId().equals(masterId))
                .toList();
    }

    /** Masters that serve slots, by their first slot. */
    List<Entry> mastersInSlotOrder() {
        return entries.stream()
                .filter(e -> e.master() && !e.slots().isEmpty())
                .sorted((a, b) -> Integer.compare(a.firstSlot(), b.firstSlot()))
                .toList();
    }

    boolean anyFailing() {
        return entries.stream().anyMatch(Entry::failing);
    }

    /** Who is master of what and who replicates whom, independent of the order of lines and of the viewer. */
    String signature() {
        TreeSet<String> lines = new TreeSet<>();
        for (Entry e : entries) {
            StringBuilder line = new StringBuilder(e.id()).append(e.master() ? " master " : " replica of ");
            line.append(e.masterId());
            e.slots()
                    .forEach(range ->
                            line.append(' ').append(range[0]).append('-').append(range[1]));
            lines.add(line.toString());
        }
        return String.join("\n", lines);
    }
}
