import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Where things are: the work tree (found from the working directory upwards, so the benchmark
 * runs from the root or from bench/), the shared folder beside it (developer machines and CI
 * both have one) with the reference server's start script, and the reference bash hook kept in
 * the tree's fixtures.
 */
record Tree(Path root, Optional<Path> peerScript, Optional<Path> referenceHook) {

    static Tree find() {
        Path root = null;
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("Watchtower.java")) && Files.isRegularFile(dir.resolve("jbang"))) {
                root = dir;
                break;
            }
        }
        if (root == null) {
            throw new IllegalStateException("run the benchmark inside the Watchtower work tree (no Watchtower.java and"
                    + " ./jbang above " + Path.of("").toAbsolutePath() + ")");
        }
        var hook = root.resolve("tests/fixtures/reference-hooks/watchtower-send.sh");
        return new Tree(root, shared(root).map(s -> s.resolve("peer/start-peer.sh")).filter(Files::isRegularFile),
                Optional.of(hook).filter(Files::isRegularFile));
    }

    /** $WT_SHARED_DIR, else a shared/ beside the tree or above it, else /work/shared. */
    private static Optional<Path> shared(Path root) {
        var candidates = new ArrayList<Path>();
        var env = System.getenv("WT_SHARED_DIR");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        for (var dir = root; dir != null; dir = dir.getParent()) candidates.add(dir.resolve("shared"));
        candidates.add(Path.of("/work/shared"));
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("peer/start-peer.sh"))).findFirst();
    }

    Path jbang() {
        return root.resolve("jbang");
    }
}
