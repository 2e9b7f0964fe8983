package watchtower.ctl;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `wtctl approvals`: permission prompts, pending ones by default. */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        header = "List approvals (permission prompts), pending ones by default.",
        footer = {"", "Examples:", "  wtctl approvals", "  wtctl approvals --status all",
                "  wtctl approvals --json | jq '.[0].id'"})
final class ApprovalsCommand implements Callable<Integer> {
    static final Set<String> STATUSES = Set.of("pending", "approved", "denied", "resolved", "expired", "all");

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--status"}, paramLabel = "STATUS", defaultValue = "pending",
            description = "pending, approved, denied, resolved, expired or all (default: ${DEFAULT-VALUE})")
    String status;

    @Override
    public Integer call() {
        if (!STATUSES.contains(status)) {
            throw new ParameterException(spec.commandLine(), "--status must be one of pending, approved, denied, "
                    + "resolved, expired, all (not '" + Format.clip(status, 20) + "')");
        }
        var json = api.client().get(ApiClient.query("/approvals", "status", status));
        if (api.json()) {
            api.out().println(json.strip());
            api.out().flush();
            return CtlError.OK;
        }
        var rows = MiniJson.parseObjects(json);
        if (rows.isEmpty()) {
            api.err().println(status.equals("pending") ? "Nothing is waiting for approval." : "No approvals.");
            api.err().flush();
            return CtlError.OK;
        }
        var now = Instant.now();
        var shortIds = Format.shortIds(rows.stream().map(r -> String.valueOf(MiniJson.text(r, "session_id"))).distinct().toList());
        var table = new Table("ID", "SESSION", "STATUS", "AGE", "TOOL", "COMMAND").alignRight(0, 3);
        for (var r : rows) {
            table.add(String.valueOf(MiniJson.text(r, "id")),
                    shortIds.get(String.valueOf(MiniJson.text(r, "session_id"))),
                    String.valueOf(MiniJson.text(r, "status")),
                    Format.age(MiniJson.text(r, "created_at"), now),
                    orDash(MiniJson.text(r, "tool_name")),
                    Format.clip(orDash(MiniJson.text(r, "command")), 80));
        }
        table.print(api.out());
        return CtlError.OK;
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
