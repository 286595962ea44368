package io.firstline.agent.encode;

import io.firstline.wire.KeyValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.firstline.agent.collect.InventoryReader.Item;
import io.firstline.proto.Inventory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryEncoderTest {
    private static List<Item> items(String version) {
        return List.of(new Item("disk", "sda", Map.of("model", "Samsung SSD 870", "size_bytes", "500107862016")),
                new Item("os", "os", Map.of("family", "Debian GNU/Linux", "version", version)));
    }

    @Test
    void digestIsStableAndChangesWithAnyField() {
        assertEquals(InventoryEncoder.digest(items("12")), InventoryEncoder.digest(items("12")));
        assertNotEquals(InventoryEncoder.digest(items("12")), InventoryEncoder.digest(items("13")));
        assertEquals(32, InventoryEncoder.digest(items("12")).length());
        // Field boundaries count: ("ab","c") is not ("a","bc").
        assertNotEquals(InventoryEncoder.digest(List.of(new Item("ab", "c", Map.of()))),
                InventoryEncoder.digest(List.of(new Item("a", "bc", Map.of()))));
    }

    @Test
    void encodesEveryItemAndAttribute() {
        Inventory inv = InventoryEncoder.encode(items("12"));
        assertEquals(2, inv.getItemsCount());
        assertEquals("sda", inv.getItems(0).getName());
        assertEquals("Samsung SSD 870", KeyValues.toMap(inv.getItems(0).getAttributesList()).get("model"));
        assertEquals(InventoryEncoder.digest(items("12")), inv.getDigest());
    }
}
