package io.sessionlocking.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link SessionIds} over a generated corpus of 20,000 cookie ids ({@link SessionIdCorpus}, seed
 * printed): the check never throws; what it accepts is printable, bounded and brace-free, so it is safe as a Redis key
 * and as a Cluster hash tag; what it refuses, {@code requireValid} refuses without echoing; a mask shows at most four
 * printable characters.
 */
class SessionIdsCorpusTests {

    private static final int COUNT = 20_000;

    @Test
    void everyGeneratedIdIsCheckedAndMaskedSafely() {
        long seed = SessionIdCorpus.seed();
        System.out.println("SessionIdsCorpusTests seed=" + seed + " (replay with -Dsession-ids.seed=" + seed + ")");
        List<String> corpus = SessionIdCorpus.generate(seed, COUNT);
        int valid = 0;
        for (String id : corpus) {
            String mask = SessionIds.mask(id);
            assertThat(mask).as("mask of %s", printable(id)).matches("([\\x21-\\x7e]{4})?\\*{4}");
            if (id.length() > 8) {
                assertThat(mask.substring(0, 4))
                        .as("the mask keeps the first four characters, others replaced")
                        .isEqualTo(maskedPrefix(id));
            }
            if (SessionIds.isValid(id)) {
                valid++;
                assertThat(id).hasSizeBetween(1, SessionIds.MAX_LENGTH);
                assertThat(id.chars()).allMatch(c -> c > 0x20 && c < 0x7f && c != '{' && c != '}');
                assertThat(SessionIds.requireValid(id)).isSameAs(id);
                String key = new LockKeys("spring:session").lockKey(id);
                assertThat(key.substring(key.indexOf('{') + 1, key.indexOf('}')))
                        .as("the id is the whole hash tag: every lock command of it lands in its slot")
                        .isEqualTo(id);
            } else if (id.length() > 8) {
                assertThatIllegalArgumentException()
                        .isThrownBy(() -> SessionIds.requireValid(id))
                        .withMessageNotContaining(id.substring(4));
            }
        }
        System.out.println("SessionIdsCorpusTests: " + valid + " of " + COUNT + " ids well-formed");
        assertThat(valid).as("the corpus has well-formed ids too").isBetween(COUNT / 10, COUNT / 2);
    }

    private static String maskedPrefix(String id) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            char c = id.charAt(i);
            prefix.append(c > 0x20 && c < 0x7f ? c : '?');
        }
        return prefix.toString();
    }

    private static String printable(String id) {
        return id.length() > 40 ? id.substring(0, 40).replaceAll("\\p{Cntrl}", "?") + "..." : id;
    }
}
