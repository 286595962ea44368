package io.firstline.agent.encode;

import io.firstline.wire.KeyValues;
import io.firstline.agent.collect.InventoryReader.Item;
import io.firstline.proto.Inventory;
import io.firstline.proto.InventoryItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns inventory items into the wire {@link Inventory}, with a digest over
 * the items so that an unchanged inventory is recognised without comparing
 * it field by field.
 */
public final class InventoryEncoder {
    private InventoryEncoder() {
    }

    public static Inventory encode(List<Item> items) {
        Inventory.Builder b = Inventory.newBuilder().setDigest(digest(items));
        for (Item i : items) {
            b.addItems(InventoryItem.newBuilder().setKind(i.kind()).setName(i.name()).addAllAttributes(KeyValues.of(i.attributes())));
        }
        return b.build();
    }

    /** SHA-256 (first 16 bytes, hex) of the items in order, each field length-prefixed. */
    public static String digest(List<Item> items) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Item i : items) {
            field(md, i.kind());
            field(md, i.name());
            for (Map.Entry<String, String> e : i.attributes().entrySet()) {
                field(md, e.getKey());
                field(md, e.getValue());
            }
            field(md, "");
        }
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    private static void field(MessageDigest md, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        md.update((byte) (bytes.length >>> 24));
        md.update((byte) (bytes.length >>> 16));
        md.update((byte) (bytes.length >>> 8));
        md.update((byte) bytes.length);
        md.update(bytes);
    }
}
