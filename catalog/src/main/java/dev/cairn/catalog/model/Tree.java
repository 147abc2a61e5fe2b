package dev.cairn.catalog.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A directory listing: nodes sorted by name, names unique. */
public record Tree(@JsonProperty("nodes") List<Node> nodes) {
    public Tree {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(Node::name));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("two entries named " + sorted.get(i).name() + " in one tree");
            }
        }
        nodes = List.copyOf(sorted);
    }

    /** The node called {@code name}, or null. */
    public Node find(FileName name) {
        int lo = 0;
        int hi = nodes.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = nodes.get(mid).name().compareTo(name);
            if (c == 0) {
                return nodes.get(mid);
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }
}
