///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES src/watchtower/core/*.java
//SOURCES src/watchtower/hook/*.java
//JAVAC_OPTIONS -XDstringConcat=inline
//DESCRIPTION What Claude Code and Codex hooks call: sends the hook's event to Watchtower, spools it when the server is down, always exits 0. Example: echo '{"cwd":"/tmp/p"}' | jbang wthook@uvs send PreToolUse

import watchtower.hook.HookCommand;

/**
 * The hook entry point. No Jackson, no java.net.http, no picocli: a hook runs once per tool
 * call, so start-up is the cost (JBANG.md §5). For the same reason string concatenation is
 * compiled inline ({@code -XDstringConcat=inline}): the default invokedynamic form costs a
 * cold JVM ~70 ms of CPU. Silent on stdout and stderr except for --help and --version, and
 * exits 0 whatever happens.
 */
public class WtHook {
    static final String VERSION = "0.1.0";

    static final String USAGE = """
            Usage: wthook COMMAND [ARG]   (reads the hook's JSON on stdin; always exits 0, prints nothing)
              send EVENT_TYPE   POST the payload to /events with session metadata (watchtower-send.sh)
              notify            POST a permission/idle prompt to /approvals (watchtower-notify.sh)
              end               mark the session terminated (watchtower-end.sh)
              tokens            ask the server to count the transcript's tokens (watchtower-tokens.sh)
              codex-notify JSON Codex's notify program: the turn's JSON as one argument
              flush             deliver what earlier runs spooled while the server was down
              --help, --version
            Environment: UVS_WATCHTOWER_URL (http://localhost:4200), UVS_SESSION_ID, CLAUDE_PROJECT_DIR,
              UVS_HOME (~/.uvs: token, spool/, wthook.log), WTHOOK_DEADLINE_MS (1500; flush 30000)""";

    public static void main(String[] args) {
        long start = System.nanoTime();
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
        } else if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println("wthook " + VERSION);
        } else {
            try {
                HookCommand.run(args, System.getenv(), System.in, start);
            } catch (Throwable t) {
                // HookCommand logs its own failures; this is only for one before its log exists,
                // and stderr is Claude Code's, so it goes nowhere: the contract is exit 0
            }
        }
        System.exit(0);
    }
}
