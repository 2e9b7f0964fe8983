package watchtower.websocket;

/** Run in a child JVM by RawStreamsTest: prints what RawStreams.problem() says there. */
public final class RawStreamsProbe {
    public static void main(String[] args) {
        System.out.println(RawStreams.problem().orElse("reachable"));
    }
}
