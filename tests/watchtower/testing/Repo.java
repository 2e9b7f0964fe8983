package watchtower.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from the working directory (tests may be run from anywhere inside it). */
public final class Repo {
    private Repo() {}

    public static Path root() {
        for (var p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("jbang-catalog.json")) && Files.exists(p.resolve("Watchtower.java"))) return p;
        }
        throw new AssertionError("run the tests from inside the repository (no jbang-catalog.json above "
                + Path.of("").toAbsolutePath() + ")");
    }

    /** Shared fixtures beside the project (../shared/fixtures/claude-code), as on every machine and in CI. */
    public static Path sharedFixtures() {
        return root().getParent().resolve("shared").resolve("fixtures").resolve("claude-code");
    }
}
