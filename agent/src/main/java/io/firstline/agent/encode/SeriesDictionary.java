package io.firstline.agent.encode;

import io.firstline.proto.SeriesDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers each (metric, resource) pair once per boot epoch, so samples carry
 * small integers instead of names. Ids are never reused within a boot.
 * Thread-safe: the collector thread adds, the link thread reads.
 */
public final class SeriesDictionary {
    private record Key(String metric, String resource) {
    }

    private final Map<Key, Integer> ids = new HashMap<>();
    private final List<SeriesDef> defs = new ArrayList<>();

    /** The id of the series, and whether it was just defined. */
    synchronized int idOf(String metric, String resource, List<SeriesDef> newlyDefined) {
        Key key = new Key(metric, resource);
        Integer id = ids.get(key);
        if (id == null) {
            id = defs.size() + 1;
            ids.put(key, id);
            SeriesDef def = SeriesDef.newBuilder().setId(id).setMetric(metric).setResource(resource).build();
            defs.add(def);
            newlyDefined.add(def);
        }
        return id;
    }

    /** Every definition so far, for the dictionary sent on each new connection. */
    public synchronized List<SeriesDef> all() {
        return List.copyOf(defs);
    }
}
