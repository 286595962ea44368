package io.firstline.agent.encode;

import io.firstline.proto.SeriesDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers each (metric, resource) pair once per boot epoch, so samples carry
 * small integers instead of names. Ids are never reused within a boot. A
 * definition also names the collector that writes the series and the
 * decimals of its fixed-point values.
 * Thread-safe: the collector thread adds, the link thread reads.
 */
public final class SeriesDictionary {
    /** No collector known (a hand-made snapshot). */
    static final int NO_COLLECTOR = -1;

    private record Key(String metric, String resource) {
    }

    private final Map<Key, SeriesDef> ids = new HashMap<>();
    private final List<SeriesDef> defs = new ArrayList<>();

    /** The definition of the series, adding it to {@code newlyDefined} if it is new. */
    synchronized SeriesDef define(String metric, String resource, int collector, List<SeriesDef> newlyDefined) {
        Key key = new Key(metric, resource);
        SeriesDef def = ids.get(key);
        if (def == null) {
            SeriesDef.Builder b = SeriesDef.newBuilder().setId(defs.size() + 1).setMetric(metric).setResource(resource)
                    .setDecimals(Precision.declared(metric));
            if (collector != NO_COLLECTOR) {
                b.setCollector(collector);
            }
            def = b.build();
            ids.put(key, def);
            defs.add(def);
            newlyDefined.add(def);
        }
        return def;
    }

    /** The id of the series, and whether it was just defined. */
    synchronized int idOf(String metric, String resource, List<SeriesDef> newlyDefined) {
        return define(metric, resource, NO_COLLECTOR, newlyDefined).getId();
    }

    /** Every definition so far, for the dictionary sent on each new connection. */
    public synchronized List<SeriesDef> all() {
        return List.copyOf(defs);
    }

    public synchronized int size() {
        return defs.size();
    }
}
