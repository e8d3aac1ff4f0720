package io.sessionlocking.example.cart;

import io.sessionlocking.spring.web.SessionLockingRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.session.SessionRepository;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cart API. Adding an item is a plain read-modify-write of the session attribute, the pattern that loses updates
 * when two requests of one session overlap without a lock:
 *
 * <pre>
 * read the cart -> price it (demo.pricing-delay) -> setAttribute(a new cart)
 * </pre>
 */
@RestController
@RequestMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
class CartController {

    static final String CART_ATTRIBUTE = "cart";

    private final String sessionHandler;
    private final Duration pricingDelay;

    CartController(SessionRepository<?> sessions, DemoProperties properties) {
        // What the request path really uses, whatever the properties say.
        this.sessionHandler = sessions instanceof SessionLockingRepository ? "locking" : "non-locking";
        this.pricingDelay = properties.pricingDelay();
    }

    /** The cart; creates the session, so that parallel requests sent after this one share its cookie. */
    @GetMapping
    CartView cart(HttpSession session) {
        return view(cartOf(session));
    }

    @PostMapping("/items")
    CartView add(@RequestBody AddItemRequest body, HttpServletRequest request) throws InterruptedException {
        AddItemRequest.Valid item = body.validate();
        // Loading the session takes its lock (with the locking handler); it is held until the response is done.
        HttpSession session = request.getSession();
        Cart cart = cartOf(session);
        price(item);
        Cart updated = cart.add(item.sku(), item.qty());
        session.setAttribute(CART_ATTRIBUTE, updated);
        return view(updated);
    }

    @DeleteMapping
    CartView clear(HttpSession session) {
        session.removeAttribute(CART_ATTRIBUTE);
        return view(Cart.EMPTY);
    }

    private void price(AddItemRequest.Valid item) throws InterruptedException {
        if (!pricingDelay.isZero() && !pricingDelay.isNegative()) {
            Thread.sleep(pricingDelay.toMillis());
        }
    }

    private static Cart cartOf(HttpSession session) {
        @Nullable Object cart = session.getAttribute(CART_ATTRIBUTE);
        return cart instanceof Cart existing ? existing : Cart.EMPTY;
    }

    private CartView view(Cart cart) {
        return CartView.of(sessionHandler, cart);
    }
}
