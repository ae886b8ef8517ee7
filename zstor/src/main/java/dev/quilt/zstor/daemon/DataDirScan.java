package dev.quilt.zstor.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One look at a zdb data root: its namespace directories, their data files {@code d<N>}, which one is active
 * (the highest N, still written by zdb) and how many bytes the whole tree holds.
 */
final class DataDirScan {
    private static final Pattern DATA_FILE = Pattern.compile("d(\\d{1,18})");

    /**
     * One data file.
     *
     * @param path the file
     * @param relative its path under the data root, with {@code /}
     * @param size bytes
     * @param mtimeMillis last modification
     * @param atimeMillis last access as the filesystem records it (coarse under {@code relatime})
     * @param active the namespace's newest file, which zdb still appends to
     */
    record DataFile(Path path, String relative, long size, long mtimeMillis, long atimeMillis, boolean active) { }

    /**
     * What a scan found.
     *
     * @param files every data file, closed and active
     * @param totalBytes bytes of every regular file under the data root (data, index, descriptors...)
     */
    record Result(List<DataFile> files, long totalBytes) {
        Result {
            files = List.copyOf(files);
        }

        List<DataFile> closed() {
            return files.stream().filter(f -> !f.active()).toList();
        }
    }

    private DataDirScan() { }

    /** The id of a data file name ({@code d12} is 12), or -1 when the name is not a data file's. */
    static long dataFileId(Path file) {
        Matcher m = DATA_FILE.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    static Result scan(Path dataRoot) throws IOException {
        List<DataFile> files = new ArrayList<>();
        long total = 0;
        if (!Files.isDirectory(dataRoot)) {
            return new Result(files, 0);
        }
        List<Path> namespaces;
        try (Stream<Path> s = Files.list(dataRoot)) {
            namespaces = s.filter(Files::isDirectory).sorted().toList();
        }
        try (Stream<Path> s = Files.list(dataRoot)) {
            total += s.filter(Files::isRegularFile).mapToLong(DataDirScan::sizeOrZero).sum();
        }
        for (Path namespace : namespaces) {
            List<Path> dataFiles = new ArrayList<>();
            try (Stream<Path> s = Files.list(namespace)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (!Files.isRegularFile(p)) {
                        continue;
                    }
                    total += sizeOrZero(p);
                    if (dataFileId(p) >= 0) {
                        dataFiles.add(p);
                    }
                }
            } catch (NoSuchFileException e) {
                continue; // the namespace was deleted while we looked
            }
            dataFiles.sort(Comparator.comparingLong(DataDirScan::dataFileId));
            for (int i = 0; i < dataFiles.size(); i++) {
                Path p = dataFiles.get(i);
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    String relative = dataRoot.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                    files.add(new DataFile(p, relative, a.size(), a.lastModifiedTime().toMillis(),
                            a.lastAccessTime().toMillis(), i == dataFiles.size() - 1));
                } catch (NoSuchFileException e) {
                    // evicted or compacted away while we looked: the next scan sees the new state
                }
            }
        }
        return new Result(files, total);
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
