package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterViewTests {

    private static final String NODES = String.join(
            "\n",
            "aaa 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460 [5461->-bbb]",
            "bbb 127.0.0.1:30002@40002,host-b master - 0 0 2 connected 5461-10921",
            "ccc 127.0.0.1:30003@40003 master - 0 0 3 connected 10922 10923-16383",
            "ddd 127.0.0.1:30004@40004 slave aaa 0 0 1 connected",
            "");

    @Test
    void readsRolesSlotsAndReplicasIgnoringMigrations() {
        ClusterView view = ClusterView.parse(NODES);

        assertThat(view.entries()).hasSize(4);
        assertThat(view.masterOf(0).orElseThrow().id()).isEqualTo("aaa");
        assertThat(view.masterOf(5461).orElseThrow().id()).isEqualTo("bbb");
        assertThat(view.masterOf(10922).orElseThrow().port()).isEqualTo(30003);
        assertThat(view.masterOf(16383).orElseThrow().id()).isEqualTo("ccc");
        assertThat(view.replicasOf("aaa")).extracting(ClusterView.Entry::id).containsExactly("ddd");
        assertThat(view.mastersInSlotOrder()).extracting(ClusterView.Entry::id).containsExactly("aaa", "bbb", "ccc");
        assertThat(view.anyFailing()).isFalse();
    }

    @Test
    void flagsFailingNodesAndComparesViewsWhateverTheLineOrder() {
        ClusterView failing = ClusterView.parse(NODES.replace("slave aaa", "slave,fail? aaa"));
        List<String> lines = new ArrayList<>(NODES.lines().toList());
        Collections.reverse(lines);
        ClusterView reordered = ClusterView.parse(String.join("\n", lines));

        assertThat(failing.anyFailing()).isTrue();
        assertThat(reordered.signature()).isEqualTo(ClusterView.parse(NODES).signature());
    }
}
