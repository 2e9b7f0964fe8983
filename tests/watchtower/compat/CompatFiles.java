package watchtower.compat;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import watchtower.testing.Api;

/**
 * Where the compatibility tests find their inputs: the reference hooks and databases kept in
 * the repo ({@code tests/fixtures/}), and the Claude Code payloads and reference-server script
 * kept in the project's shared folder (beside the work tree, on a developer machine and in CI).
 */
final class CompatFiles {
    private CompatFiles() {}

    /** {@code tests/fixtures} of this work tree, found from the working directory upwards. */
    static Path repoFixtures() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var candidate = dir.resolve("tests/fixtures");
            if (Files.isDirectory(candidate.resolve("reference-hooks"))) return candidate;
        }
        return fail("tests/fixtures/reference-hooks not found above " + Path.of("").toAbsolutePath());
    }

    static Path referenceHooks() {
        return repoFixtures().resolve("reference-hooks");
    }

    static Path referenceDatabase() {
        return repoFixtures().resolve("reference-0.32.0.db");
    }

    /** The shared folder: $WT_SHARED_DIR, else a {@code shared/} beside the work tree, else /work/shared. */
    static Optional<Path> shared() {
        var candidates = new ArrayList<Path>();
        var env = System.getenv("WT_SHARED_DIR");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("shared"));
        }
        candidates.add(Path.of("/work/shared"));
        return candidates.stream().filter(p -> Files.isDirectory(p.resolve("fixtures/claude-code"))).findFirst();
    }

    static Path claudeFixtures() {
        return shared().map(s -> s.resolve("fixtures/claude-code"))
                .orElseGet(() -> fail("shared/fixtures/claude-code not found (set WT_SHARED_DIR)"));
    }

    static Optional<Path> peerScript() {
        return shared().map(s -> s.resolve("peer/start-peer.sh")).filter(Files::isRegularFile);
    }

    /** Every Claude Code hook payload (files whose name does not start with '_'), sorted by name. */
    static List<Path> payloadFiles() {
        try (Stream<Path> files = Files.list(claudeFixtures())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith("_"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hook event a payload file stands for: its name before "--" or ".json". */
    static String eventName(Path payloadFile) {
        var name = payloadFile.getFileName().toString().replaceFirst("\\.json$", "");
        int dashes = name.indexOf("--");
        return dashes < 0 ? name : name.substring(0, dashes);
    }

    static ObjectNode payload(String fileName) {
        return readObject(claudeFixtures().resolve(fileName));
    }

    static ObjectNode readObject(Path file) {
        try {
            return (ObjectNode) Api.JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
