package io.sessionlocking.benchmarks.http;

import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the HTTP benchmark measures: a cart in the session, read by {@code GET /cart} (what every page of a
 * shop does) and changed by {@code POST /cart} (read, add, write back; {@code workMillis} of work in between, none by
 * default). Spring Boot with Spring Session on Redis and
 * session-locking, configured only by properties.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(ShopApplication.CartController.class)
public class ShopApplication {

    @RestController
    static class CartController {

        @GetMapping("/cart")
        String cart(HttpSession session) {
            return "{\"items\":" + cartOf(session).size() + "}";
        }

        @PostMapping("/cart")
        String add(
                HttpSession session,
                @RequestParam(defaultValue = "tea") String sku,
                @RequestParam(defaultValue = "0") long workMillis)
                throws InterruptedException {
            List<String> cart = new ArrayList<>(cartOf(session));
            Thread.sleep(workMillis); // the shop's own work between reading the cart and writing it back (pricing)
            cart.add(sku);
            session.setAttribute("cart", cart);
            return "{\"items\":" + cart.size() + "}";
        }

        @SuppressWarnings("unchecked")
        private static List<String> cartOf(HttpSession session) {
            Object cart = session.getAttribute("cart");
            return cart instanceof List<?> list ? (List<String>) list : List.of();
        }
    }
}
