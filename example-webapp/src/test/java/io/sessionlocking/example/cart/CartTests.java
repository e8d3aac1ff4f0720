package io.sessionlocking.example.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CartTests {

    @Test
    void addReturnsANewCartAndLeavesTheOldOneAlone() {
        Cart empty = Cart.EMPTY;

        Cart one = empty.add("tea", 1);

        assertThat(one).isNotSameAs(empty);
        assertThat(empty.items()).isEmpty();
        assertThat(one.items()).containsExactly(new CartItem("tea", 1));
    }

    @Test
    void addMergesIntoTheLineOfTheSameSkuAndKeepsTheOrder() {
        Cart cart = Cart.EMPTY.add("tea", 2).add("coffee", 3).add("tea", 1);

        assertThat(cart.items()).containsExactly(new CartItem("tea", 3), new CartItem("coffee", 3));
        assertThat(cart.count()).isEqualTo(6);
    }

    @Test
    void itemsCannotBeChangedFromOutside() {
        List<CartItem> items = new ArrayList<>(List.of(new CartItem("tea", 1)));
        Cart cart = new Cart(items);

        items.add(new CartItem("coffee", 1));

        assertThat(cart.items()).hasSize(1);
        assertThatThrownBy(() -> cart.items().add(new CartItem("cocoa", 1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void survivesJavaSerializationAsSpringSessionStoresIt() throws Exception {
        Cart cart = Cart.EMPTY.add("tea", 2).add("mate", 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(cart);
        }

        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(cart);
        }
    }
}
