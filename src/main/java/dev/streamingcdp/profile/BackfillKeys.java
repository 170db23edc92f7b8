package dev.streamingcdp.profile;

import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;

/**
 * The profile ids one backfill pass visits: those in the operator's cache when the pass starts (they may not be in
 * keyed state yet), then those in the keyed profile state at that moment. Profiles created later need no visit:
 * their first step evaluates every definition in force. An id may come twice (cached and in state) or be gone by
 * the time it is visited: a visit re-reads the profile, and re-evaluating a right membership emits nothing.
 *
 * <p>Keys are read while the operator keeps writing state. RocksDB's iterator is a point-in-time view, so it is
 * read lazily, slice by slice. The heap backend's key stream fails with ConcurrentModificationException once a key
 * is added or removed under it, so there the keys are copied at the start: a list of references to the key objects
 * the backend already holds (a few MB per million profiles, one fast pass over memory).
 */
final class BackfillKeys implements AutoCloseable {

    private final Iterator<String> cached;
    private final Stream<String> stream;
    private final Iterator<String> stored;
    /** How many ids the pass has (cached ones included); -1 when not known before the end (RocksDB). */
    final long size;

    private BackfillKeys(List<String> cached, Stream<String> stream, Iterator<String> stored, long storedSize) {
        this.cached = cached.iterator();
        this.stream = stream;
        this.stored = stored;
        this.size = storedSize < 0 ? -1 : cached.size() + storedSize;
    }

    static BackfillKeys open(KeyedStateBackend<String> backend, List<String> cached) {
        Stream<String> keys = backend.getKeys(ProfileOperator.PROFILE.getName(), VoidNamespace.INSTANCE);
        if (backend instanceof RocksDBKeyedStateBackend) {
            return new BackfillKeys(cached, keys, keys.iterator(), -1);
        }
        List<String> copy;
        try (keys) {
            copy = keys.collect(Collectors.toList());
        }
        return new BackfillKeys(cached, null, copy.iterator(), copy.size());
    }

    boolean hasNext() {
        return cached.hasNext() || stored.hasNext();
    }

    String next() {
        return cached.hasNext() ? cached.next() : stored.next();
    }

    /** Releases the RocksDB iterator (it pins the database's files while open). */
    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
