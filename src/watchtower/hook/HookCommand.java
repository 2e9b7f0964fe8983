package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One run of {@code wthook}: reads the environment and stdin once, builds the request for
 * the command, and hands it to the {@link Outbox}. It never throws and never writes to
 * stdout or stderr (Claude Code reads both); what goes wrong goes to the hook log. The
 * commands: {@code send EVENT_TYPE}, {@code notify}, {@code end}, {@code tokens},
 * {@code codex-notify JSON}, {@code flush}.
 */
public final class HookCommand {
    /** Claude Code's payloads are a few KB; a transcript-sized input is a mistake, not an event. */
    public static final int MAX_INPUT_BYTES = 4 << 20;

    private HookCommand() {}

    public static void run(String[] args, Map<String, String> environment, InputStream stdin, long startNanos) {
        var command = args.length > 0 ? args[0] : "";
        var env = HookEnv.from(environment, command.equals("flush") && !environment.containsKey("WTHOOK_DEADLINE_MS")
                ? HookEnv.FLUSH_DEADLINE_MS : HookEnv.DEFAULT_DEADLINE_MS);
        var deadline = Deadline.enforced(startNanos, env.deadlineMs());
        var log = new HookLog(env.logFile(), HookLog.DEFAULT_MAX_BYTES, command);
        try {
            var input = switch (command) {
                case "send", "notify", "end", "tokens" -> readInput(stdin, log);
                case "codex-notify" -> args.length > 1 ? args[1] : ""; // Codex passes the JSON as an argument
                default -> "";
            };
            var spool = new Spool(env.spoolDir(), Spool.DEFAULT_MAX_ENTRIES, Spool.DEFAULT_MAX_BYTES,
                    deadline.critical(), log);
            var token = env.tokenEnv().isEmpty() ? SecretFile.read(env.secretFile(), log) : Optional.of(env.tokenEnv());
            var outbox = new Outbox(spool, new Sender(env.serverUrl(), token, log), deadline, log);
            var request = request(command, args, input, env, log);
            if (request.isPresent()) {
                outbox.deliver(request.get());
            } else {
                deadline.prepared();
                if (!spool.isEmpty()) outbox.flush();
            }
        } catch (Throwable t) {
            log.warn("failed: " + t);
        }
    }

    private static Optional<HookRequest> request(String command, String[] args, String input, HookEnv env,
                                                 HookLog log) {
        return switch (command) {
            case "send" -> {
                var eventType = args.length > 1 && !args[1].isEmpty() ? args[1] : "Unknown";
                yield Optional.of(requests(env, log).event(eventType, input));
            }
            case "notify" -> requests(env, log).approval(input);
            case "end" -> requests(env, log).end(); // stdin was drained, as the bash hook does
            case "tokens" -> requests(env, log).tokens(input);
            case "codex-notify" -> Optional.of(requests(env, log).codexNotify(input));
            case "flush" -> Optional.empty();
            default -> {
                log.warn("unknown command '" + command + "' (try wthook --help)");
                yield Optional.empty();
            }
        };
    }

    /**
     * Up to Java 21 a console exists only when stdin and stdout are terminals; from 22 on it
     * always exists and {@code isTerminal()} (looked up, as it is not in 17) tells.
     */
    private static boolean interactive() {
        var console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // unsure: read stdin; the deadline bounds the wait
        }
    }

    private static HookRequests requests(HookEnv env, HookLog log) {
        var sid = ProjectState.sessionId(env, log);
        return new HookRequests(sid, ProjectState.metadata(env, sid, log), env.workDir(),
                new LongSupplier() {
                    @Override
                    public long getAsLong() {
                        return System.currentTimeMillis();
                    }
                },
                new Supplier<String>() {
                    @Override
                    public String get() {
                        return RandomIds.uuid();
                    }
                });
    }

    /** stdin once, at most {@link #MAX_INPUT_BYTES}; nothing when a person runs us at a terminal. */
    static String readInput(InputStream stdin, HookLog log) {
        if (interactive()) return "";
        try {
            var bytes = stdin.readNBytes(MAX_INPUT_BYTES + 1);
            if (bytes.length > MAX_INPUT_BYTES) {
                stdin.transferTo(OutputStream.nullOutputStream());
                log.warn("input over " + MAX_INPUT_BYTES + " bytes: payload dropped, event kept");
                return "";
            }
            return new String(bytes, UTF_8);
        } catch (IOException e) {
            log.warn("cannot read stdin: " + e.getMessage());
            return "";
        }
    }
}
