package io.sessionlocking.example.cart;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Properties of the demo shop.
 *
 * @param pricingDelay how long adding an item works between reading the cart and writing it back, standing in for a
 *     call to a pricing service; the window in which an unlocked parallel request loses the update
 */
@ConfigurationProperties("demo")
public record DemoProperties(@DefaultValue("20ms") Duration pricingDelay) {}
