package io.firstline.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.CodedOutputStream;
import io.firstline.proto.InventoryItem;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

    /**
     * The bytes protobuf writes for {@code map<string, string> attributes = 3}:
     * each entry is a length-delimited field 3 holding {@code key = 1} and
     * {@code value = 2}, written here by hand as a peer with the map
     * declaration would.
     */
    private static byte[] asMapField(int tag, Map<String, String> map) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (Map.Entry<String, String> e : map.entrySet()) {
            int size = CodedOutputStream.computeStringSize(1, e.getKey()) + CodedOutputStream.computeStringSize(2, e.getValue());
            out.writeTag(tag, 2);
            out.writeUInt32NoTag(size);
            out.writeString(1, e.getKey());
            out.writeString(2, e.getValue());
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Test
    void aRepeatedKeyValueFieldHasTheBytesOfAStringMap() throws Exception {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("vendor", "Dell Inc.");
        attributes.put("model", "Latitude 7440");

        byte[] ours = InventoryItem.newBuilder().addAllAttributes(KeyValues.of(attributes)).build().toByteArray();
        assertArrayEquals(asMapField(3, attributes), ours);

        InventoryItem back = InventoryItem.parseFrom(asMapField(3, attributes));
        assertEquals(attributes, KeyValues.toMap(back.getAttributesList()));
        assertEquals(List.copyOf(attributes.keySet()), KeyValues.toMap(back.getAttributesList()).keySet().stream().toList());
    }

    /** A map writes an empty value; proto3 leaves it out of a message. Either reads back as empty text. */
    @Test
    void anEmptyValueReadsBackEmptyEitherWay() throws Exception {
        Map<String, String> attributes = Map.of("empty", "");
        InventoryItem fromMap = InventoryItem.parseFrom(asMapField(3, attributes));
        assertEquals(attributes, KeyValues.toMap(fromMap.getAttributesList()));

        byte[] ours = InventoryItem.newBuilder().addAllAttributes(KeyValues.of(attributes)).build().toByteArray();
        assertEquals(attributes, KeyValues.toMap(InventoryItem.parseFrom(ours).getAttributesList()));
    }

    @Test
    void aRepeatedKeyKeepsItsLastValueAsAMapWould() throws Exception {
        byte[] twice = concat(asMapField(3, Map.of("model", "old")), asMapField(3, Map.of("model", "new")));
        InventoryItem item = InventoryItem.parseFrom(twice);

        assertEquals(Map.of("model", "new"), KeyValues.toMap(item.getAttributesList()));
        assertEquals("new", KeyValues.get(item.getAttributesList(), "model", "?"));
        assertEquals("?", KeyValues.get(item.getAttributesList(), "vendor", "?"));
    }

    @Test
    void emptyAndNullValues() {
        assertEquals(Map.of(), KeyValues.toMap(List.of()));
        assertEquals("", KeyValues.entry("k", null).getValue());
        assertThrows(UnsupportedOperationException.class, () -> KeyValues.toMap(KeyValues.of(Map.of("a", "b"))).put("c", "d"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
