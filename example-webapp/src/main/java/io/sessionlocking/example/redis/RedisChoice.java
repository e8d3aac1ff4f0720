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

    /** Nothing is configured, but a Redis answers on the probed address: the demo uses it. */
    record Running(String host, int port) implements RedisChoice {
        @Override
        public String describe() {
            return "Using Redis at " + host + ":" + port;
        }
    }

    /** Nothing is configured and nothing answers: the demo starts its own redis-server. */
    record Embedded(String probedHost, int probedPort) implements RedisChoice {
        @Override
        public String describe() {
            return "No Redis configured and none answers on " + probedHost + ":" + probedPort
                    + "; starting an embedded one";
        }
    }
}
