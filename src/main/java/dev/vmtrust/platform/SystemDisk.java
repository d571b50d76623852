package dev.vmtrust.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** {@link Disk#SYSTEM}: each call is the java.nio.file call it names. */
final class SystemDisk implements Disk {
    @Override
    public Path createFile(Path file, FileAttribute<?>... attrs) throws IOException {
        return Files.createFile(file, attrs);
    }

    @Override
    public void write(Path file, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) ch.write(buf);
        }
    }

    @Override
    public void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void setPosixFilePermissions(Path file, Set<PosixFilePermission> mode) throws IOException {
        Files.setPosixFilePermissions(file, mode);
    }

    @Override
    public void move(Path from, Path to, CopyOption... options) throws IOException {
        Files.move(from, to, options);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public boolean deleteIfExists(Path file) throws IOException {
        return Files.deleteIfExists(file);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        Files.createLink(link, existing);
    }

    @Override
    public void copy(Path from, Path to, CopyOption... options) throws IOException {
        Files.copy(from, to, options);
    }
}
