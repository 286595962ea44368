package io.firstline.console.fleet;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The latest value of each series of one agent, in the order they arrived
 * (a series replaced keeps its place): ids and values in primitive arrays
 * with an open-addressing index, so a sample stores numbers and never
 * objects. An agent's record lives long, so every object a sample stored in
 * it (a boxed value, a map entry) was a young object referenced from the
 * old generation: garbage for each sample and card-table work for the
 * collector. Not thread-safe: the agent's record guards it.
 */
final class SeriesValues {
    private int[] ids = new int[8];
    private double[] values = new double[8];
    private int size;
    /** Open addressing, linear probing: position + 1 of the id hashed there, 0 for empty; at most half full. */
    private int[] index = new int[16];

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int id(int position) {
        return ids[position];
    }

    double value(int position) {
        return values[position];
    }

    void clear() {
        size = 0;
        Arrays.fill(index, 0);
    }

    /** Sets the value of series {@code id}: in place if known, else appended. */
    void put(int id, double value) {
        int mask = index.length - 1;
        int slot = hash(id) & mask;
        for (int p; (p = index[slot]) != 0; slot = (slot + 1) & mask) {
            if (ids[p - 1] == id) {
                values[p - 1] = value;
                return;
            }
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, 2 * size);
            values = Arrays.copyOf(values, 2 * size);
        }
        ids[size] = id;
        values[size] = value;
        size++;
        if (2 * size > index.length) {
            reindex(2 * index.length);
        } else {
            index[slot] = size;
        }
    }

    /** The value of series {@code id}, or NaN if it has none. */
    double get(int id) {
        int mask = index.length - 1;
        for (int slot = hash(id) & mask, p; (p = index[slot]) != 0; slot = (slot + 1) & mask) {
            if (ids[p - 1] == id) {
                return values[p - 1];
            }
        }
        return Double.NaN;
    }

    /** Removes the series {@code remove} says, keeping the order of the others. */
    void removeIf(IntPredicate remove) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!remove.test(ids[i])) {
                ids[kept] = ids[i];
                values[kept] = values[i];
                kept++;
            }
        }
        if (kept != size) {
            size = kept;
            reindex(index.length);
        }
    }

    private void reindex(int capacity) {
        if (capacity != index.length) {
            index = new int[capacity];
        } else {
            Arrays.fill(index, 0);
        }
        int mask = capacity - 1;
        for (int i = 0; i < size; i++) {
            int slot = hash(ids[i]) & mask;
            while (index[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            index[slot] = i + 1;
        }
    }

    private static int hash(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
