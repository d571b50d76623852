package dev.vmtrust.service;

import dev.vmtrust.platform.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** The plist or unit install wants on disk, compared with what is there now. */
record ServiceFile(Path file, String content, byte[] bytes, boolean existed, boolean same) {

    /** Checks the launcher, renders the file and compares it with {@code file}; problems say which file. */
    static ServiceFile of(Path file, Path launcher, Supplier<String> render) throws ServiceException {
        Launcher.checked(launcher);
        String content;
        try {
            content = render.get();
        } catch (IllegalArgumentException e) {
            throw new ServiceException("cannot write the launcher path into " + file + ": " + e.getMessage());
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new ServiceFile(file, content, bytes, Files.exists(file), sameContent(file, bytes));
    }

    static boolean sameContent(Path file, byte[] bytes) throws ServiceException {
        try {
            return AtomicFiles.sameContent(file, bytes);
        } catch (IOException e) {
            throw new ServiceException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
