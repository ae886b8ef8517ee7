package dev.quilt.fs;

import dev.quilt.zstor.BackendStatus;
import dev.quilt.zstor.CheckReport;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.RebuildReport;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/** Objects in a map: for property tests of the tree, where thousands of cases cannot each start six zdbs. */
final class InMemoryZstor implements Zstor {
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    @Override
    public ObjectInfo store(String key, InputStream in, LongConsumer progress) throws IOException {
        byte[] bytes = in.readAllBytes();
        objects.put(key, bytes);
        return info(key, bytes);
    }

    @Override
    public ObjectInfo retrieve(String key, OutputStream out, LongConsumer progress) throws IOException {
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            throw new ObjectNotFoundException(key);
        }
        out.write(bytes);
        return info(key, bytes);
    }

    @Override
    public ObjectInfo stat(String key) throws IOException {
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            throw new ObjectNotFoundException(key);
        }
        return info(key, bytes);
    }

    private static ObjectInfo info(String key, byte[] bytes) {
        return new ObjectInfo(key, bytes.length, 1, 0, 1, "", Set.of());
    }

    @Override
    public CheckReport check(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RebuildReport rebuild(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ObjectInfo> list() {
        return objects.entrySet().stream().map(e -> info(e.getKey(), e.getValue())).toList();
    }

    @Override
    public boolean delete(String key) {
        return objects.remove(key) != null;
    }

    @Override
    public List<BackendStatus> status() {
        return List.of();
    }

    @Override
    public void close() {
    }
}
