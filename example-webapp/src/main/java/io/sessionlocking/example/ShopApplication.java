package io.sessionlocking.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The demo: a shop cart kept in a Spring Session on Redis, locked per request by session-locking. Run it with {@code
 * ./mvnw -pl example-webapp -am spring-boot:run} and open http://localhost:8080.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
