package watchtower.ctl;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `wtctl completion`: a bash (and zsh, via bashcompinit) completion script made by picocli. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        header = "Print a bash/zsh completion script for wtctl.",
        description = {"Load it in this shell with: source <(wtctl completion)",
                "or keep it: wtctl completion > ~/.local/share/bash-completion/completions/wtctl"},
        footer = {"", "Example:", "  source <(wtctl completion)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("wtctl", spec.root().commandLine()));
        out.flush();
        return CtlError.OK;
    }
}
