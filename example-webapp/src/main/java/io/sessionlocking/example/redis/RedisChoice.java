package io.sessionlocking.example.redis;

/** Which Redis the demo uses, decided by {@link RedisChoices} before the application context starts. */
sealed interface RedisChoice {

    /** What the start-up log says about this choice. */
    String describe();

    /** {@code spring.data.redis.*} names a Redis: Boot connects to it as configured. */
    record Configured(String where) implements RedisChoice {
        @Override
        public String describe() {
            return "Using Redis at " + where + " (configured)";
        }
    }

    /** {@code demo.redis=local} and a Redis answers on the local default address: the demo uses it. */
    record Local(String host, int port) implements RedisChoice {
        @Override
        public String describe() {
            return "Using Redis at " + host + ":" + port + " (demo.redis=local)";
        }
    }

    /** Nothing configured (the default, {@code demo.redis=embedded}): the demo starts its own redis-server. */
    record Embedded() implements RedisChoice {
        @Override
        public String describe() {
            return "No Redis configured (spring.data.redis.*, or demo.redis=local for localhost:"
                    + RedisChoices.LOCAL_PORT + "); starting an embedded one";
        }
    }
}
