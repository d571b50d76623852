package dev.vmtrust.vm.provision;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A provision YAML file that vmtrust will not edit: invalid YAML, an unexpected shape, or an edit
 * that failed verification. Line and column are 1-based. The message says what, where and the next
 * step; {@link #inFile(Path)} adds the file name in front.
 */
public final class ProvisionYamlException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String problem;
    private final transient Path file;

    public ProvisionYamlException(String problem, int line, int column) {
        this(problem, line, column, null, null);
    }

    ProvisionYamlException(String problem, int line, int column, Path file, Throwable cause) {
        super((file == null ? "" : file + " ") + "line " + line + ", column " + column + ": " + problem, cause);
        this.problem = problem;
        this.line = line;
        this.column = column;
        this.file = file;
    }

    /** The same problem, with the file named in the message. */
    public ProvisionYamlException inFile(Path path) {
        return new ProvisionYamlException(problem, line, column, path, getCause());
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the file and position. */
    public String problem() {
        return problem;
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
