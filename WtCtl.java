///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.23.0
//SOURCES src/watchtower/ctl/*.java
//SOURCES src/watchtower/install/*.java
//SOURCES src/watchtower/http/*.java
//SOURCES src/watchtower/control/Machine.java
//SOURCES src/watchtower/control/LocalMachine.java
//SOURCES src/watchtower/control/MachineOps.java
//SOURCES src/watchtower/control/Tmux.java
//SOURCES src/watchtower/control/Keystrokes.java
//SOURCES src/watchtower/control/PermissionWidget.java
//SOURCES src/watchtower/control/Processes.java
//SOURCES src/watchtower/control/Spawner.java
//SOURCES src/watchtower/control/Subprocess.java
//SOURCES src/watchtower/control/AgentCommand.java
//SOURCES src/watchtower/control/ControlOptions.java
//SOURCES src/watchtower/control/ProjectDir.java
//SOURCES src/watchtower/control/ControlInput.java
//FILES personas/=personas/*.json
//DESCRIPTION Watchtower from the command line. Example: jbang wtctl@uvs approve 12

import watchtower.ctl.Root;

/**
 * wtctl's entry: the commands live in src/watchtower/ctl (Root lists them). Jackson is on the
 * classpath only for `hooks` (watchtower.install edits settings files with it); every other
 * command parses with ctl/MiniJson and talks HttpURLConnection, so they never load it.
 * `agent` runs this machine's part of the control plane: the watchtower.control files listed
 * above (tmux, keystrokes, processes, spawning), none of which needs the server's store.
 */
public class WtCtl {
    public static void main(String[] args) {
        System.exit(Root.commandLine(args).execute(args));
    }
}
