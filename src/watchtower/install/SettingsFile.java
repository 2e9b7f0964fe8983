package watchtower.install;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One Claude Code settings file: read strictly (a file we cannot parse is refused, never
 * overwritten), written back in Claude Code's own layout (two-space JSON, keys in their
 * order), a dated backup beside it first, and the new content put in place by an atomic
 * rename so a crash leaves the old file or the new one. A symlinked file (dotfiles) is
 * written through the link, so the link survives.
 */
final class SettingsFile {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path file;
    private final boolean exists;
    private final ObjectNode root;

    private SettingsFile(Path file, boolean exists, ObjectNode root) {
        this.file = file;
        this.exists = exists;
        this.root = root;
    }

    /** Reads and checks the file; a missing file reads as an empty object. */
    static SettingsFile read(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new SettingsFile(file, false, JsonNodeFactory.instance.objectNode());
        }
        if (!Files.isRegularFile(file)) {
            throw new InstallException(file + " is not a regular file; nothing was changed");
        }
        String text;
        try {
            text = UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new InstallException(file + " is not UTF-8 text; nothing was changed");
        } catch (AccessDeniedException e) {
            throw new InstallException("cannot read " + file + ": permission denied; nothing was changed");
        } catch (NoSuchFileException e) {
            throw new InstallException("cannot read " + file + ": it is a link to a file that does not exist");
        } catch (IOException e) {
            throw new InstallException("cannot read " + file + ": " + e.getMessage() + "; nothing was changed");
        }
        if (text.isBlank()) return new SettingsFile(file, true, JsonNodeFactory.instance.objectNode());
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            var where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new InstallException(file + " is not valid JSON" + where + " (" + e.getOriginalMessage()
                    + "); fix it or move it away and run this again; nothing was changed");
        }
        if (!node.isObject()) {
            throw new InstallException(file + " must hold a JSON object, not " + node.getNodeType().name().toLowerCase()
                    + "; nothing was changed");
        }
        checkHooksShape(file, (ObjectNode) node);
        return new SettingsFile(file, true, (ObjectNode) node);
    }

    Path path() {
        return file;
    }

    boolean exists() {
        return exists;
    }

    /** A copy to change; {@link #write} compares against the original. */
    ObjectNode copy() {
        return root.deepCopy();
    }

    ObjectNode root() {
        return root;
    }

    /**
     * Writes {@code updated} unless it equals what is there; returns the backup made (none
     * when the file did not exist). The backup is a byte copy taken before anything else.
     */
    java.util.Optional<Path> write(ObjectNode updated) {
        var target = realTarget();
        try {
            Files.createDirectories(target.getParent());
            java.util.Optional<Path> backup = java.util.Optional.empty();
            if (exists) backup = java.util.Optional.of(backup(target));
            var tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.writeString(tmp, toClaudeJson(updated) + "\n", UTF_8);
            try {
                if (exists && target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return backup;
        } catch (AccessDeniedException e) {
            throw new InstallException("cannot write " + e.getFile() + ": permission denied");
        } catch (IOException e) {
            throw new InstallException("cannot write " + target + ": " + e.getMessage());
        }
    }

    private Path realTarget() {
        try {
            return exists && Files.isSymbolicLink(file) ? file.toRealPath() : file.toAbsolutePath();
        } catch (IOException e) {
            throw new InstallException("cannot follow the link " + file + ": " + e.getMessage());
        }
    }

    private static Path backup(Path target) throws IOException {
        var base = target.getFileName() + ".bak-" + LocalDateTime.now().format(STAMP);
        var backup = target.resolveSibling(base);
        for (int n = 2; Files.exists(backup, LinkOption.NOFOLLOW_LINKS); n++) backup = target.resolveSibling(base + "-" + n);
        Files.copy(target, backup, StandardCopyOption.COPY_ATTRIBUTES);
        if (target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // settings may hold env values a person put there: the backup is no more readable than the file
            Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rw-------"));
        }
        return backup;
    }

    /** The shape we rely on: hooks is an object of arrays of {matcher?, hooks: [...]} objects. */
    private static void checkHooksShape(Path file, ObjectNode root) {
        var hooks = root.get("hooks");
        if (hooks == null || hooks.isNull()) return;
        if (!hooks.isObject()) throw shape(file, "\"hooks\" is not an object");
        for (var e : hooks.properties()) {
            if (!e.getValue().isArray()) throw shape(file, "\"hooks\".\"" + e.getKey() + "\" is not a list");
            for (var group : e.getValue()) {
                if (!group.isObject()) throw shape(file, "an entry of \"hooks\".\"" + e.getKey() + "\" is not an object");
                var inner = group.get("hooks");
                if (inner != null && !inner.isArray()) {
                    throw shape(file, "\"hooks\".\"" + e.getKey() + "\"[].hooks is not a list");
                }
            }
        }
    }

    private static InstallException shape(Path file, String what) {
        return new InstallException(file + ": " + what + " (see https://code.claude.com/docs/en/hooks); nothing was changed");
    }

    /** JSON.stringify(value, null, 2): Claude Code's own layout, so a diff shows only what changed. */
    static String toClaudeJson(JsonNode node) {
        var out = new StringBuilder();
        write(node, out, "");
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out, String indent) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("{}");
                return;
            }
            var inner = indent + "  ";
            out.append("{\n");
            var it = node.properties().iterator();
            while (it.hasNext()) {
                var e = it.next();
                out.append(inner).append('"');
                JsonStringEncoder.getInstance().quoteAsString(e.getKey(), out);
                out.append("\": ");
                write(e.getValue(), out, inner);
                if (it.hasNext()) out.append(',');
                out.append('\n');
            }
            out.append(indent).append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            var inner = indent + "  ";
            out.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                out.append(inner);
                write(node.get(i), out, inner);
                if (i < node.size() - 1) out.append(',');
                out.append('\n');
            }
            out.append(indent).append(']');
        } else if (node.isTextual()) {
            out.append('"');
            JsonStringEncoder.getInstance().quoteAsString(node.textValue(), out);
            out.append('"');
        } else {
            out.append(node.toString()); // numbers, booleans, null: their JSON text
        }
    }
}
